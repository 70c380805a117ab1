// Generated from templates/ by TemplateTests (ARXOS_RECORD_TEMPLATES=1); do not edit.

/// The templates shipped inside the binary, by registry name.
public enum ShippedTemplates {
    public static let files: [String: String] = [:]
}
