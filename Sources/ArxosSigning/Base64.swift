import Foundation

enum Base64 {
    /// Decodes standard base64 (RFC 4648, with padding) and accepts only the canonical spelling, the one
    /// `encode` produces, so that one value has exactly one text form.
    static func decodeCanonical(_ text: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return [UInt8](data)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
