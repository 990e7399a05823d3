import Glibc
import HPACK

/// Parses hex with optional whitespace ("8286 8441"); traps on bad input, which only tests supply.
func hex(_ text: String) -> [UInt8] {
    let digits = text.compactMap { $0.hexDigitValue }
    precondition(digits.count == text.filter { !$0.isWhitespace }.count && digits.count % 2 == 0, "bad hex")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
}

/// Renders bytes as lowercase hex without separators.
func hexString(_ bytes: [UInt8]) -> String {
    let symbols = Array("0123456789abcdef")
    return String(bytes.flatMap { [symbols[Int($0 >> 4)], symbols[Int($0 & 0x0f)]] })
}

/// Shorthand for a field list.
func fields(_ pairs: [(String, String)]) -> [HeaderField] {
    pairs.map { HeaderField($0.0, $0.1) }
}

/// The nomad-wire reference directory (`../shared/reference/nomad-wire` from the package root), if present.
let nomadWireDirectory: String? = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // TestSupport.swift, HPACKTests, Tests
    let package = parts.joined(separator: "/")
    let candidate = package + "/../shared/reference/nomad-wire"
    return readFile(candidate + "/specvec.txt") == nil ? nil : candidate
}()

/// Reads a whole file as UTF-8 text with stdio, or nil if it cannot be opened.
func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}
