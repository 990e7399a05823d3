/// Reads one flat JSON object (string keys; string, integer, boolean or null values).
///
/// Nested values, fractions and exponents are refused: no file the executor writes has them.
struct FlatJSONParser {
    private var bytes: [UInt8]
    private var position = 0

    /// Parses `text` into a dictionary, or throws `protocolError` naming the byte offset.
    static func parse(_ text: String) throws(ExecutorError) -> [String: FlatValue] {
        var parser = FlatJSONParser(bytes: Array(text.utf8))
        return try parser.object()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func object() throws(ExecutorError) -> [String: FlatValue] {
        var result: [String: FlatValue] = [:]
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            position += 1
            return try finish(result)
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            result[key] = try value()
            let next = try nextByte()
            if next == UInt8(ascii: "}") {
                return try finish(result)
            }
            guard next == UInt8(ascii: ",") else {
                throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func finish(_ result: [String: FlatValue]) throws(ExecutorError) -> [String: FlatValue] {
        guard peek() == nil else {
            throw failure("trailing characters")
        }
        return result
    }

    private mutating func value() throws(ExecutorError) -> FlatValue {
        switch peek() {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return .integer(try integer())
        }
    }

    private mutating func literal(_ word: String, _ value: FlatValue) throws(ExecutorError) -> FlatValue {
        for byte in word.utf8 {
            guard position < bytes.count, bytes[position] == byte else {
                throw failure("expected \(word)")
            }
            position += 1
        }
        return value
    }

    private mutating func integer() throws(ExecutorError) -> Int64 {
        var digits = ""
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            digits = "-"
            position += 1
        }
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            digits.unicodeScalars.append(Unicode.Scalar(bytes[position]))
            position += 1
        }
        guard let number = Int64(digits) else {
            throw failure("expected a string, an integer, true, false or null")
        }
        return number
    }

    private mutating func string() throws(ExecutorError) -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") {
                return String(decoding: out, as: UTF8.self)
            }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            out += try escape()
        }
        throw failure("unterminated string")
    }

    private mutating func escape() throws(ExecutorError) -> [UInt8] {
        guard position < bytes.count else {
            throw failure("unterminated escape")
        }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "u"): return Array(String(try unicodeEscape()).utf8)
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        default: throw failure("bad escape")
        }
    }

    private mutating func unicodeEscape() throws(ExecutorError) -> Unicode.Scalar {
        let first = try hexQuad()
        guard (0xD800..<0xDC00).contains(first) else {
            return Unicode.Scalar(first) ?? "\u{FFFD}"
        }
        guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
        else {
            return "\u{FFFD}"
        }
        position += 2
        let second = try hexQuad()
        let combined = 0x10000 + ((first - 0xD800) << 10) + (second &- 0xDC00)
        return Unicode.Scalar(combined) ?? "\u{FFFD}"
    }

    private mutating func hexQuad() throws(ExecutorError) -> UInt32 {
        guard bytes.count - position >= 4,
            let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else {
            throw failure("bad \\u escape")
        }
        position += 4
        return value
    }

    private mutating func expect(_ byte: UInt8) throws(ExecutorError) {
        guard try nextByte() == byte else {
            throw failure("expected '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    /// The next byte after whitespace, consumed.
    private mutating func nextByte() throws(ExecutorError) -> UInt8 {
        guard let byte = peek() else {
            throw failure("unexpected end")
        }
        position += 1
        return byte
    }

    /// The next byte after whitespace, not consumed.
    private mutating func peek() -> UInt8? {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) {
            position += 1
        }
        return position < bytes.count ? bytes[position] : nil
    }

    private func failure(_ what: String) -> ExecutorError {
        ExecutorError(.protocolError, "JSON at byte \(position): \(what)")
    }
}
