#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// Whether `self` sorts before `other` comparing UTF-8 bytes as unsigned (the order of tree entries and paths).
    @inlinable
    public func utf8Precedes(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                if n > 0, let xa = x.baseAddress, let ya = y.baseAddress {
                    let c = memcmp(xa, ya, n)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
    }
}

extension String {
    /// Tree order of `/`-separated paths: the order a depth-first walk of sorted trees visits files. It is the byte order
    /// of the paths with `/` counted as lower than every other byte.
    @inlinable
    public func treeOrderPrecedes(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                var i = 0
                while i < n {
                    let p = x[i], q = y[i]
                    if p != q {
                        let pp: UInt8 = p == 0x2F ? 0 : p, qq: UInt8 = q == 0x2F ? 0 : q
                        return pp < qq
                    }
                    i += 1
                }
                return x.count < y.count
            }
        }
    }
}
