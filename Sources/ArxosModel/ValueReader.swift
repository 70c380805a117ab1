import CYaml

/// Reads a YAML file into `ModelValue`s straight from libyaml's events: one value per document root, maps in key
/// order, aliases replaced by the value they name. No tag resolution happens here (a value's meaning is decided by the
/// model, not by YAML's core schema), which keeps reading many objects cheap.
enum ValueReader {
    struct Failure: Error {}

    /// The root value of every document, or nil if the bytes are not well-formed YAML (`ObjectFile.summaries` reports
    /// why, with a line).
    static func documents(_ bytes: [UInt8]) -> [ModelValue]? {
        bytes.withUnsafeBufferPointer { buffer -> [ModelValue]? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

            enum Open {
                case list([ModelValue], anchor: String?)
                case map([ModelValue.Field], pendingKey: String?, anchor: String?)
            }
            var stack = [Open]()
            var anchors = [String: ModelValue]()
            var roots = [ModelValue]()

            func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            func finish(_ value: ModelValue) {
                guard let top = stack.popLast() else { roots.append(value); return }
                switch top {
                case let .list(items, anchor):
                    stack.append(.list(items + [value], anchor: anchor))
                case let .map(fields, pendingKey, anchor):
                    if let key = pendingKey {
                        stack.append(.map(fields + [ModelValue.Field(key: key, value: value)], pendingKey: nil, anchor: anchor))
                    } else {
                        stack.append(.map(fields, pendingKey: value.text ?? value.display, anchor: anchor))
                    }
                }
            }

            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return roots
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    let value = ModelValue.scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE)
                    if let anchor = anchorName(scalar.anchor) { anchors[anchor] = value }
                    finish(value)
                case YAML_ALIAS_EVENT:
                    let name = anchorName(event.data.alias.anchor) ?? ""
                    finish(anchors[name] ?? .scalar("*" + name, plain: true))
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(.list([], anchor: anchorName(event.data.sequence_start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    stack.append(.map([], pendingKey: nil, anchor: anchorName(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let top = stack.popLast() else { return nil }
                    let value: ModelValue
                    let anchor: String?
                    switch top {
                    case let .list(items, name): value = .list(items); anchor = name
                    case let .map(fields, _, name): value = .map(fields); anchor = name
                    }
                    if let anchor { anchors[anchor] = value }
                    finish(value)
                default:
                    break
                }
            }
        }
    }
}
