/// Reads Turtle (the subset in docs/import.md) into triples: bytes in, triples out, no I/O.
public struct TurtleParser {
    private var lexer: TurtleLexer
    private var lookahead: TurtleToken?
    private var prefixes: [String: String] = [:]
    private var base: String
    private var blankLabels: [String: Int] = [:]
    private var blankCount = 0
    private var triples: [Triple] = []
    /// Each resolved IRI string once, so equal IRIs share storage.
    private var interned: [String: String] = [:]

    /// A parser for `bytes`, naming `file` in errors; relative IRIs resolve against `base` (default `file:///FILE`).
    public init(bytes: [UInt8], file: String, base: String? = nil) {
        lexer = TurtleLexer(bytes: bytes, file: file)
        let name = file.split(separator: "/").last.map(String.init) ?? file
        self.base = base ?? "file:///" + name
    }

    /// The prefixes declared so far (after `parse()`, all of them), by name without the colon.
    public var declaredPrefixes: [String: String] { prefixes }

    /// Reads the whole file.
    public static func parse(_ bytes: [UInt8], file: String, base: String? = nil) throws(TurtleError) -> [Triple] {
        var parser = TurtleParser(bytes: bytes, file: file, base: base)
        return try parser.parse()
    }

    /// Reads every statement and returns the triples in file order.
    public mutating func parse() throws(TurtleError) -> [Triple] {
        triples.reserveCapacity(lexer.bytes.count / 40)
        while true {
            let token = try peek()
            switch token {
            case .end: return triples
            case let .prefixDirective(sparql):
                take()
                guard case let .prefixedName(name, local) = try next(), local.isEmpty else {
                    throw lexer.tokenError("a prefix directive names the prefix with a colon, as in '@prefix brick: <https://brickschema.org/schema/Brick#> .'")
                }
                guard case let .iri(value) = try next() else {
                    throw lexer.tokenError("the prefix '\(name):' needs an IRI in angle brackets after it")
                }
                prefixes[name] = resolve(value)
                if !sparql { try expectDot("the prefix directive") }
            case let .baseDirective(sparql):
                take()
                guard case let .iri(value) = try next() else {
                    throw lexer.tokenError("a base directive needs an IRI in angle brackets after it")
                }
                base = resolve(value)
                if !sparql { try expectDot("the base directive") }
            default:
                try statement()
            }
        }
    }

    // MARK: Tokens

    private mutating func peek() throws(TurtleError) -> TurtleToken {
        if let lookahead { return lookahead }
        let token = try lexer.next()
        lookahead = token
        return token
    }

    private mutating func next() throws(TurtleError) -> TurtleToken {
        if let token = lookahead { lookahead = nil; return token }
        return try lexer.next()
    }

    private mutating func take() { lookahead = nil }

    private mutating func expectDot(_ what: String) throws(TurtleError) {
        let token = try next()
        guard token == .dot else {
            throw lexer.tokenError("expected '.' to end \(what), found \(token.quoted)")
        }
    }

    // MARK: Statements

    /// `subject predicateObjectList .` or `[ … ] predicateObjectList? .`
    private mutating func statement() throws(TurtleError) {
        let token = try next()
        let subject: RDFTerm
        switch token {
        case .openBracket:
            subject = try blankPropertyList()
            if try peek() == .dot { take(); return }
        case .openParen:
            subject = try collection()
        default:
            subject = try node(token, role: "a subject")
        }
        try predicateObjectList(subject, closing: .dot)
        try expectDot("the statement")
    }

    /// `p o, o ; p o …` up to (not taking) `closing`; a `;` may be doubled or end the list.
    private mutating func predicateObjectList(_ subject: RDFTerm, closing: TurtleToken) throws(TurtleError) {
        while true {
            let token = try next()
            let predicate: String
            switch token {
            case .a: predicate = Vocabulary.type
            case .iri, .prefixedName:
                guard case let .iri(value) = try node(token, role: "a predicate") else { return }
                predicate = value
            default:
                throw lexer.tokenError("expected a predicate (an IRI, a prefixed name or 'a'), found \(token.quoted)")
            }
            while true {
                let object = try objectTerm()
                triples.append(Triple(subject, predicate, object, line: lexer.tokenLine))
                guard try peek() == .comma else { break }
                take()
            }
            guard try peek() == .semicolon else { return }
            while try peek() == .semicolon { take() }
            let after = try peek()
            if after == closing || after == .dot || after == .closeBracket { return }
        }
    }

    /// One object: a node, a literal, a blank property list or a collection.
    private mutating func objectTerm() throws(TurtleError) -> RDFTerm {
        let token = try next()
        switch token {
        case .openBracket: return try blankPropertyList()
        case .openParen: return try collection()
        case let .string(text):
            switch try peek() {
            case let .languageTag(tag):
                take()
                return .literal(.init(text, language: tag))
            case .datatypeMarker:
                take()
                let typeToken = try next()
                switch typeToken {
                case .iri, .prefixedName:
                    return .literal(.init(text, datatype: try node(typeToken, role: "a datatype").iri))
                default:
                    throw lexer.tokenError("expected a datatype IRI after '^^', found \(typeToken.quoted)")
                }
            default:
                return .literal(.init(text))
            }
        case let .number(text, datatype): return .literal(.init(text, datatype: datatype))
        case let .boolean(text): return .literal(.init(text, datatype: Vocabulary.xsd + "boolean"))
        case .dot, .semicolon, .comma, .closeBracket, .closeParen, .end:
            throw lexer.tokenError("expected an object after the predicate, found \(token.quoted)")
        default:
            return try node(token, role: "an object")
        }
    }

    /// `[ … ]` after its `[`: a fresh blank node with the properties inside.
    private mutating func blankPropertyList() throws(TurtleError) -> RDFTerm {
        let node = freshBlank()
        if try peek() == .closeBracket { take(); return node }
        try predicateObjectList(node, closing: .closeBracket)
        let token = try next()
        guard token == .closeBracket else {
            throw lexer.tokenError("expected ']' to close the blank node, found \(token.quoted)")
        }
        return node
    }

    /// `( … )` after its `(`: an RDF list.
    private mutating func collection() throws(TurtleError) -> RDFTerm {
        var items = [RDFTerm]()
        while try peek() != .closeParen {
            if try peek() == .end { throw lexer.tokenError("the list is not closed with ')'") }
            items.append(try objectTerm())
        }
        take()
        guard !items.isEmpty else { return .iri(Vocabulary.nilList) }
        let head = freshBlank()
        var current = head
        for (index, item) in items.enumerated() {
            triples.append(Triple(current, Vocabulary.first, item, line: lexer.tokenLine))
            let rest = index == items.count - 1 ? RDFTerm.iri(Vocabulary.nilList) : freshBlank()
            triples.append(Triple(current, Vocabulary.rest, rest, line: lexer.tokenLine))
            current = rest
        }
        return head
    }

    private mutating func freshBlank() -> RDFTerm {
        blankCount += 1
        return .blank(blankCount)
    }

    /// An IRI, prefixed name or blank node label as a term.
    private mutating func node(_ token: TurtleToken, role: String) throws(TurtleError) -> RDFTerm {
        switch token {
        case let .iri(value): return .iri(intern(resolve(value)))
        case let .prefixedName(prefix, local):
            guard let namespace = prefixes[prefix] else {
                throw lexer.tokenError("'\(prefix):' is not declared; add '@prefix \(prefix): <…> .' before its first use")
            }
            return .iri(intern(namespace + local))
        case let .blankLabel(label):
            if let number = blankLabels[label] { return .blank(number) }
            blankCount += 1
            blankLabels[label] = blankCount
            return .blank(blankCount)
        default:
            throw lexer.tokenError("expected \(role), found \(token.quoted)")
        }
    }

    private mutating func intern(_ iri: String) -> String {
        if let existing = interned[iri] { return existing }
        interned[iri] = iri
        return iri
    }

    // MARK: IRIs

    /// `reference` resolved against the current base (RFC 3986 §5.2).
    func resolve(_ reference: String) -> String { IRIResolver.resolve(reference, against: base) }
}

/// Resolution of relative IRI references (RFC 3986 §5.2, without normalisation of case or percent-encoding).
public enum IRIResolver {
    /// Whether `text` starts with a scheme (`http:`, `urn:`).
    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    /// `reference` resolved against the absolute IRI `base`.
    public static func resolve(_ reference: String, against base: String) -> String {
        if hasScheme(reference) { return reference }
        let (baseScheme, baseRest) = split(base)
        if reference.hasPrefix("//") { return baseScheme + ":" + reference }
        // The base's authority, path, query.
        var authority = ""
        var path = baseRest
        if baseRest.hasPrefix("//") {
            let afterSlashes = baseRest.dropFirst(2)
            let end = afterSlashes.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterSlashes.endIndex
            authority = "//" + afterSlashes[..<end]
            path = String(afterSlashes[end...])
        }
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        var query = ""
        if let mark = path.firstIndex(of: "?") { query = String(path[mark...]); path = String(path[..<mark]) }
        let prefix = baseScheme + ":" + authority
        if reference.isEmpty { return prefix + path + query }
        if reference.hasPrefix("#") { return prefix + path + query + reference }
        if reference.hasPrefix("?") { return prefix + path + reference }
        var refPath = reference
        var suffix = ""
        if let cut = reference.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            refPath = String(reference[..<cut]); suffix = String(reference[cut...])
        }
        let merged: String
        if refPath.hasPrefix("/") {
            merged = refPath
        } else if !authority.isEmpty && path.isEmpty {
            merged = "/" + refPath
        } else {
            let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
            merged = directory + refPath
        }
        return prefix + removeDotSegments(merged) + suffix
    }

    private static func split(_ iri: String) -> (String, String) {
        guard let colon = iri.firstIndex(of: ":") else { return ("file", iri) }
        return (String(iri[..<colon]), String(iri[iri.index(after: colon)...]))
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        var output = [Substring]()
        let absolute = path.hasPrefix("/")
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if index == 0 && absolute { continue }
            switch segment {
            case ".": if index == segments.count - 1 { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if index == segments.count - 1 { output.append("") }
            default: output.append(segment)
            }
        }
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }
}
