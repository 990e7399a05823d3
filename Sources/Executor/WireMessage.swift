/// One line of the executor's socket protocol: a verb and `key=value` fields, separated by single spaces.
///
/// ```
/// stop sig=INT timeout_ms=2000
/// ok state=exited pid=4242 code=0 signal=2 oom=0 started_ms=1714000000000 finished_ms=1714000001500
/// err code=invalid-state msg=child%20is%20still%20running
/// ```
///
/// Keys are lowercase ASCII words. Values are percent-encoded: every byte outside `!`...`~`, and `%` and `=`
/// themselves, become `%XX`, so a value never holds a space or a newline. Requests and responses use the same
/// shape; a response's verb is `ok` or `err`.
struct WireMessage: Equatable, Sendable {
    var verb: String
    var fields: [Field]

    /// One `key=value` pair.
    struct Field: Equatable, Sendable {
        var key: String
        var value: String
    }

    init(_ verb: String, _ fields: [(String, String)] = []) {
        self.verb = verb
        self.fields = fields.map { Field(key: $0.0, value: $0.1) }
    }

    /// The value of the first field named `key`.
    subscript(key: String) -> String? {
        fields.first { $0.key == key }?.value
    }

    /// The line to send, ending in a newline.
    var line: String {
        var out = verb
        for field in fields {
            out += " \(field.key)=\(Self.escape(field.value))"
        }
        return out + "\n"
    }

    /// Parses one line (without its newline).
    static func parse(_ line: some StringProtocol) throws(ExecutorError) -> WireMessage {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let verb = words.first, !verb.contains("=") else {
            throw ExecutorError(.protocolError, "empty request or missing verb")
        }
        var message = WireMessage(String(verb))
        for word in words.dropFirst() {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw ExecutorError(.protocolError, "expected key=value, got '\(word)'")
            }
            let value = try unescape(word[word.index(after: equals)...])
            message.fields.append(Field(key: String(word[..<equals]), value: value))
        }
        return message
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "%"), byte != UInt8(ascii: "=") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    static func unescape(_ text: some StringProtocol) throws(ExecutorError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else {
                throw ExecutorError(.protocolError, "bad percent escape in '\(text)'")
            }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
