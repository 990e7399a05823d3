import Glibc

/// Parses hex with optional whitespace; traps on bad input, which only tests supply.
func hex(_ text: String) -> [UInt8] {
    let digits = text.compactMap { $0.hexDigitValue }
    precondition(digits.count == text.filter { !$0.isWhitespace }.count && digits.count % 2 == 0, "bad hex")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
}

/// Renders bytes as lowercase hex.
func hexString(_ bytes: [UInt8]) -> String {
    let symbols = Array("0123456789abcdef")
    return String(bytes.flatMap { [symbols[Int($0 >> 4)], symbols[Int($0 & 0x0f)]] })
}

/// The lines of nomad-wire/specvec.txt (`KEY [NAME] VALUE`), or nil when the reference directory is absent.
let specVectors: [String: String]? = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // TestSupport.swift, MsgPackTests, Tests
    let path = parts.joined(separator: "/") + "/../shared/reference/nomad-wire/specvec.txt"
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var vectors: [String: String] = [:]
    var line = [CChar](repeating: 0, count: 1 << 16)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let words = text.split(separator: " ", maxSplits: 2).map(String.init)
        guard words.count >= 2 else { continue }
        let value = words.last?.trimmingSuffix("\n") ?? ""
        let key = words.count == 3 ? words[0] + " " + words[1] : words[0]
        vectors[key] = value
    }
    return vectors
}()

extension String {
    func trimmingSuffix(_ suffix: Character) -> String {
        last == suffix ? String(dropLast()) : self
    }
}
