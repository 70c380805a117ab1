import CZstd
import Foundation

/// One-shot zstd frames, always with the content size in the frame header.
public enum Zstd {
    /// Compresses `bytes` into one frame at `level`.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32) throws -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var out = [UInt8](repeating: 0, count: bound)
        let context = compressionContexts.take()
        defer { compressionContexts.give(context) }
        let written = out.withUnsafeMutableBytes { dst in
            ZSTD_compressCCtx(context, dst.baseAddress, bound, bytes.baseAddress, bytes.count, level)
        }
        if ZSTD_isError(written) != 0 { throw StoreError.compression(String(cString: ZSTD_getErrorName(written))) }
        out.removeSubrange(written...)
        return out
    }

    public static func compress(_ bytes: [UInt8], level: Int32) throws -> [UInt8] {
        try bytes.withUnsafeBytes { (raw) in try compress(raw, level: level) }
    }

    /// Compresses `bytes` into one frame at `level` against `dictionary`, raw content the decompressor must be given
    /// too (zstd's "raw content" dictionary: matches may refer into it, as into a preceding window).
    public static func compress(_ bytes: [UInt8], level: Int32, dictionary: [UInt8]) throws -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var out = [UInt8](repeating: 0, count: bound)
        let context = compressionContexts.take()
        defer { compressionContexts.give(context) }
        let written = out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dictionary.withUnsafeBytes { dict in
                    ZSTD_compress_usingDict(context, dst.baseAddress, bound, src.baseAddress, src.count, dict.baseAddress, dict.count, level)
                }
            }
        }
        if ZSTD_isError(written) != 0 { throw StoreError.compression(String(cString: ZSTD_getErrorName(written))) }
        out.removeSubrange(written...)
        return out
    }

    /// The content size a frame declares, read from its header; nil if the header is not a zstd frame or has no size.
    public static func declaredSize(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        if size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN { return nil }
        return size
    }

    /// The byte length of the first frame in `bytes`, or nil if it is not a complete frame.
    public static func frameLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let size = ZSTD_findFrameCompressedSize(bytes.baseAddress, bytes.count)
        return ZSTD_isError(size) != 0 ? nil : size
    }

    /// Decompresses exactly one frame, refusing a declared size above `limit` before allocating anything.
    /// `what` names the object or file in errors.
    public static func decompress(_ frame: UnsafeRawBufferPointer, limit: Int, what: String) throws -> [UInt8] {
        try decompress(frame, limit: limit, what: what, dictionary: nil)
    }

    /// Decompresses exactly one frame made against a raw content `dictionary` (nil: none), refusing a declared size
    /// above `limit` before allocating anything.
    public static func decompress(_ frame: UnsafeRawBufferPointer, limit: Int, what: String, dictionary: [UInt8]?) throws -> [UInt8] {
        guard let declared = declaredSize(frame) else { throw StoreError.corrupt(what, "not a zstd frame with a declared content size") }
        guard declared <= UInt64(limit) else { throw StoreError.tooLarge(what, declared: declared, limit: limit) }
        let size = Int(declared)
        let context = decompressionContexts.take()
        defer { decompressionContexts.give(context) }
        var result = 0
        // The buffer is not zeroed first: zstd writes every byte it reports, and a short frame is refused below.
        let out = [UInt8](unsafeUninitializedCapacity: size) { dst, initialized in
            if let dictionary {
                result = dictionary.withUnsafeBytes { dict in
                    ZSTD_decompress_usingDict(context, dst.baseAddress, size, frame.baseAddress, frame.count, dict.baseAddress, dict.count)
                }
            } else {
                result = ZSTD_decompressDCtx(context, dst.baseAddress, size, frame.baseAddress, frame.count)
            }
            initialized = ZSTD_isError(result) != 0 ? 0 : min(result, size)
        }
        if ZSTD_isError(result) != 0 { throw StoreError.corrupt(what, "zstd: \(String(cString: ZSTD_getErrorName(result)))") }
        guard result == size else { throw StoreError.corrupt(what, "frame decompressed to \(result) bytes, header declares \(size)") }
        return out
    }
}

/// Reusable contexts: creating one per object costs more than compressing or decompressing a small object.
private let decompressionContexts = ContextPool(create: { ZSTD_createDCtx() }, free: { _ = ZSTD_freeDCtx($0) })
private let compressionContexts = ContextPool(create: { ZSTD_createCCtx() }, free: { _ = ZSTD_freeCCtx($0) })

private final class ContextPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []
    private let create: () -> OpaquePointer?
    private let free: (OpaquePointer) -> Void

    init(create: @escaping () -> OpaquePointer?, free: @escaping (OpaquePointer) -> Void) {
        self.create = create
        self.free = free
    }

    func take() -> OpaquePointer? {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? create()
    }

    func give(_ context: OpaquePointer?) {
        guard let context else { return }
        lock.lock()
        defer { lock.unlock() }
        if idle.count < 16 { idle.append(context) } else { free(context) }
    }
}
