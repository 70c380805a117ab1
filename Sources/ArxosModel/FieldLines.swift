import CYaml

/// The lines of an object's fields in its file, so that a violation about one property points at that property's
/// line rather than at the start of the object. Read on demand (only files with violations), from libyaml's events.
public enum FieldLines {
    /// For each object of a file, keyed by the line its mapping starts on (`ArxObject.line`), the line of each
    /// top-level field (`location`) and of each property (`properties.maxAirflow`).
    public static func lines(_ bytes: [UInt8]) -> [Int: [String: Int]] {
        bytes.withUnsafeBufferPointer { buffer -> [Int: [String: Int]] in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return [:] }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

            var stack = [Frame]()
            var out = [Int: [String: Int]]()
            var objectLine = 0
            /// The depth of the object's own mapping (1 for a document root, 2 for an item of a root list).
            var objectDepth = 0

            func pathOfKey() -> String? {
                // A key of the object itself, or of the object's `properties` map.
                if stack.count == objectDepth { return "" }
                if stack.count == objectDepth + 1, stack[objectDepth - 1].key == "properties" { return "properties." }
                return nil
            }
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return out }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                var isNode = false
                var keyText: String? = nil
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return out
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    keyText = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    isNode = true
                case YAML_ALIAS_EVENT:
                    isNode = true
                case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    // Is this mapping an object: a document root, or an item of a root list?
                    if isMapping && (stack.isEmpty || (stack.count == 1 && !stack[0].isMapping)) {
                        objectLine = line
                        objectDepth = stack.count + 1
                        out[objectLine] = [:]
                    }
                    advance(&stack, key: nil, line: line, record: { _ in })
                    stack.append(Frame(isMapping: isMapping))
                    continue
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    stack.removeLast()
                    continue
                default:
                    continue
                }
                if isNode {
                    let prefix = pathOfKey()
                    advance(&stack, key: keyText, line: line) { key in
                        if let prefix, out[objectLine]?[prefix + key] == nil { out[objectLine]?[prefix + key] = line }
                    }
                }
            }
        }
    }

    /// Marks a node in the innermost open collection: in a mapping, a node is alternately a key and a value.
    private static func advance(_ stack: inout [Frame], key: String?, line: Int, record: (String) -> Void) {
        guard var top = stack.last, top.isMapping else { return }
        if top.expectKey {
            top.key = key
            if let key { record(key) }
        }
        top.expectKey.toggle()
        stack[stack.count - 1] = top
    }

    /// One open collection: whether it is a mapping, whether its next node is a key, the key being read.
    private struct Frame { var isMapping: Bool; var expectKey = true; var key: String? = nil }

    /// The violations of one file with each one that names a field moved to that field's line, in line order.
    public static func locate(_ violations: [Violation], bytes: [UInt8]) -> [Violation] {
        guard violations.contains(where: { $0.field != nil }) else { return violations }
        let table = lines(bytes)
        return Validator.sorted(violations.map { violation in
            guard let field = violation.field, let line = table[violation.line]?[field] else { return violation }
            var moved = violation
            moved.line = line
            return moved
        })
    }
}
