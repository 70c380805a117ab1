import ArxosModel

/// Writes arxos objects as Brick Turtle: classes, labels and relations (docs/import.md, "Export").
public struct BrickExporter {
    let table: TypeTable

    public init(table: TypeTable = .standard) { self.table = table }

    /// The Turtle text for `objects`, with the ids of objects whose type gives no class (and no `brickClass`) in
    /// `skipped`.
    public func export(_ objects: [ArxObject]) -> (turtle: String, skipped: [String]) {
        var iriByID = [String: String]()
        for object in objects { iriByID[object.id] = iri(of: object) }
        var out = """
            @prefix brick: <\(BrickVocabulary.namespace)> .
            @prefix rdfs: <\(Vocabulary.rdfs)> .

            """
        var skipped = [String]()
        for object in objects.sorted(by: { $0.id < $1.id }) {
            let classes = classIRIs(of: object)
            guard !classes.isEmpty, let subject = iriByID[object.id] else { skipped.append(object.id); continue }
            var predicates = [(String, [String])]()
            predicates.append(("a", classes.map(BrickExporter.classText)))
            if let name = object["name"]?.text, !name.isEmpty {
                predicates.append(("rdfs:label", [BrickExporter.literal(name)]))
            }
            func targets(_ key: String) -> [String] {
                (object[key]?.idList ?? []).compactMap { iriByID[$0] }.map(BrickExporter.iriText)
            }
            if let location = object.location, let target = iriByID[location] {
                predicates.append(("brick:hasLocation", [BrickExporter.iriText(target)]))
            }
            for (key, predicate) in [("feeds", "brick:feeds"), ("fedBy", "brick:isFedBy"), ("points", "brick:hasPoint"), ("partOf", "brick:isPartOf")] {
                let list = targets(key)
                if !list.isEmpty { predicates.append((predicate, list)) }
            }
            out += "\n" + BrickExporter.iriText(subject)
            for (index, (predicate, objects)) in predicates.enumerated() {
                out += (index == 0 ? " " : " ;\n    ") + predicate + " " + objects.joined(separator: ", ")
            }
            out += " .\n"
        }
        return (out, skipped)
    }

    /// The object's IRI: `refs.brick`, else `urn:arxos:` and the id percent-encoded.
    func iri(of object: ArxObject) -> String {
        if let brick = object["refs"]?.fields?.first(where: { $0.key == "brick" })?.value.text, IRIResolver.hasScheme(brick) {
            return brick
        }
        var encoded = ""
        for byte in object.id.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) { encoded.append(c) }
            else { encoded += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) }
        }
        return "urn:arxos:" + encoded
    }

    /// The class IRIs: `brickClass` (one or a list), else the type table's class in the Brick namespace.
    func classIRIs(of object: ArxObject) -> [String] {
        if let classes = object["brickClass"]?.idList, !classes.isEmpty { return classes }
        guard let entry = table.entry(object.type), let local = entry.brickClass.split(separator: ":").last else { return [] }
        return [BrickVocabulary.namespace + local]
    }

    /// A class as `brick:Name` when it is in the Brick namespace with a plain name, else as `<iri>`.
    static func classText(_ iri: String) -> String {
        if iri.hasPrefix(BrickVocabulary.namespace) {
            let local = iri.dropFirst(BrickVocabulary.namespace.count)
            if let first = local.first, first.isASCII && first.isLetter,
               local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                return "brick:" + local
            }
        }
        return iriText(iri)
    }

    /// `<iri>` with the characters Turtle forbids in IRIs escaped.
    static func iriText(_ iri: String) -> String {
        var out = "<"
        for scalar in iri.unicodeScalars {
            if scalar.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains(scalar) {
                out += scalar.value <= 0xFFFF ? "\\u" + hex(scalar.value, 4) : "\\U" + hex(scalar.value, 8)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + ">"
    }

    /// A short string literal with escapes.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += "\\u" + hex(scalar.value, 4) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
