import CYaml

/// Walks libyaml's events for one file and collects the id and type of each object.
struct EventScanner {
    let path: String

    /// One open collection.
    private struct Frame {
        var isMapping: Bool
        /// In a mapping: whether the next node is a key.
        var expectKey = true
        var keys = Set<String>()
        var currentKey: String?
        /// This mapping is a building object (a document root or an item of a root list).
        var isObject = false
        /// This sequence is a document's root list of objects.
        var isObjectList = false
        var line = 0
        var id: String?
        var type: String?
    }

    private var stack = [Frame]()
    private var objects = [ObjectSummary]()

    init(path: String) { self.path = path }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<[ObjectSummary], ModelError> {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(ModelError(path: path, line: 1, message: "the YAML parser could not start (out of memory)"))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(syntaxError(parser)) }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            do {
                switch event.type {
                case YAML_STREAM_END_EVENT: return .success(objects)
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    try node(.scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line)
                case YAML_ALIAS_EVENT: try node(.alias, line: line)
                case YAML_MAPPING_START_EVENT: try node(.mappingStart, line: line)
                case YAML_SEQUENCE_START_EVENT: try node(.sequenceStart, line: line)
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT: try end()
                default: break
                }
            } catch {
                return .failure(error)
            }
        }
    }

    private enum Node {
        case scalar(String, plain: Bool)
        case alias
        case mappingStart
        case sequenceStart
    }

    private mutating func node(_ node: Node, line: Int) throws(ModelError) {
        var pushed = Frame(isMapping: false)
        var push = false
        switch node {
        case .mappingStart: pushed = Frame(isMapping: true, line: line); push = true
        case .sequenceStart: pushed = Frame(isMapping: false, line: line); push = true
        default: break
        }
        if let parentIndex = stack.indices.last {
            var parent = stack[parentIndex]
            if parent.isMapping {
                if parent.expectKey {
                    if case let .scalar(key, _) = node {
                        if !parent.keys.insert(key).inserted {
                            throw ModelError(path: path, line: line, message: "the key '\(key)' appears twice in one mapping")
                        }
                        parent.currentKey = key
                    } else {
                        parent.currentKey = nil
                    }
                    parent.expectKey = false
                } else {
                    if parent.isObject, let key = parent.currentKey, key == "id" || key == "type" {
                        guard case let .scalar(value, plain) = node, !value.isEmpty, !(plain && ["~", "null", "Null", "NULL"].contains(value)) else {
                            throw ModelError(path: path, line: line, message: "'\(key)' must be a string")
                        }
                        if key == "id" { parent.id = value } else { parent.type = value }
                    }
                    parent.expectKey = true
                }
            } else if parent.isObjectList {
                guard case .mappingStart = node else {
                    throw ModelError(path: path, line: line, message: "a list item is not an object (expected a mapping with 'id' and 'type')")
                }
                pushed.isObject = true
            }
            stack[parentIndex] = parent
        } else {
            switch node {
            case .mappingStart: pushed.isObject = true
            case .sequenceStart: pushed.isObjectList = true
            default:
                throw ModelError(path: path, line: line, message: "expected an object (a mapping with 'id' and 'type') or a list of objects")
            }
        }
        if push { stack.append(pushed) }
    }

    private mutating func end() throws(ModelError) {
        guard let frame = stack.popLast(), frame.isObject else { return }
        guard let id = frame.id else {
            throw ModelError(path: path, line: frame.line, message: "the object has no 'id' (every object needs a unique 'id')")
        }
        if let bad = id.unicodeScalars.first(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            throw ModelError(path: path, line: frame.line, message: "'id' \"\(id.debugDescription.dropFirst().dropLast())\" contains \(bad == " " ? "a space" : "a control character")")
        }
        guard let type = frame.type else {
            throw ModelError(path: path, line: frame.line, message: "object '\(id)' has no 'type'")
        }
        guard ObjectFile.isValidType(type) else {
            throw ModelError(path: path, line: frame.line, message: "object '\(id)': type '\(type)' is not a short lowercase word such as 'vav' or 'elec_panel'")
        }
        objects.append(ObjectSummary(id: id, type: type, line: frame.line))
    }

    private func syntaxError(_ parser: yaml_parser_t) -> ModelError {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let context = parser.context.map { " " + String(cString: $0) } ?? ""
        let mark = parser.problem_mark
        return ModelError(path: path, line: Int(mark.line) + 1,
                          message: "YAML syntax error: \(problem)\(context) (column \(Int(mark.column) + 1))")
    }
}
