// Text helpers written without Foundation's CharacterSet and NSString: in a statically linked
// binary those pull in ICU (about 50 MB of code and data, and 2 ms more at every process start).

extension String {
    /// The string without surrounding whitespace and newlines (ASCII and Unicode whitespace).
    public var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

extension BinaryInteger {
    /// The decimal digits padded with leading zeros to `width` ("7" → "007" for width 3); a negative
    /// number keeps its sign in front.
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(self.magnitude)
        return (self < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension String {
    /// The text with `%XX` escapes decoded as UTF-8, or nil when an escape is malformed or the
    /// result is not UTF-8 (as URL percent-decoding).
    public var percentDecoded: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Path text operations with NSString's meaning.
public enum PathText {
    /// The path without its last component: "/a/b" → "/a", "/a/b/" → "/a", "/a" → "/", "b" → "".
    public static func directory(of path: String) -> String {
        let withoutTrailing = dropTrailingSlashes(path)
        guard let slash = withoutTrailing.lastIndex(of: "/") else {
            return ""
        }
        let head = dropTrailingSlashes(String(withoutTrailing[..<slash]))
        return head.isEmpty ? "/" : head
    }

    /// The last component: "/a/b" → "b", "/a/b/" → "b", "/" → "/", "" → "".
    public static func lastComponent(of path: String) -> String {
        let withoutTrailing = dropTrailingSlashes(path)
        guard withoutTrailing != "/" else {
            return "/"
        }
        return withoutTrailing.split(separator: "/").last.map(String.init) ?? ""
    }

    /// An absolute path with "." and ".." components and repeated slashes resolved as text
    /// ("/a/./b/../c" → "/a/c"; ".." above the root stays at the root); relative paths are
    /// only cleaned of "." and repeated slashes.
    public static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var kept: [Substring] = []
        for component in path.split(separator: "/") where component != "." {
            if component == "..", absolute {
                _ = kept.popLast()
            } else {
                kept.append(component)
            }
        }
        let joined = kept.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// Trailing slashes removed, except the one of the root.
    private static func dropTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1 && text.hasSuffix("/") {
            text = text.dropLast()
        }
        return String(text)
    }
}
