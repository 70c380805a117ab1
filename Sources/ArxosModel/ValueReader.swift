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

            /// A list or map being read. Values are appended in place (through the stack's last element), so a long
            /// list costs linear time, not quadratic.
            struct Open {
                var isMap: Bool
                var items: [ModelValue] = []
                var fields: [ModelValue.Field] = []
                var pendingKey: String?
                var anchor: String?
                var value: ModelValue { isMap ? .map(fields) : .list(items) }
            }
            var stack = [Open]()
            var anchors = [String: ModelValue]()
            var roots = [ModelValue]()

            func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            func finish(_ value: ModelValue) {
                guard !stack.isEmpty else { roots.append(value); return }
                let top = stack.count - 1
                if !stack[top].isMap {
                    stack[top].items.append(value)
                } else if let key = stack[top].pendingKey {
                    stack[top].fields.append(ModelValue.Field(key: key, value: value))
                    stack[top].pendingKey = nil
                } else {
                    stack[top].pendingKey = value.text ?? value.display
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
                    stack.append(Open(isMap: false, anchor: anchorName(event.data.sequence_start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    stack.append(Open(isMap: true, anchor: anchorName(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let top = stack.popLast() else { return nil }
                    let value = top.value
                    if let anchor = top.anchor { anchors[anchor] = value }
                    finish(value)
                default:
                    break
                }
            }
        }
    }
}
