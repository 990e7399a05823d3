import Glibc

// Helpers shared by the wire-format test targets: hex in and out, and the nomad-wire reference
// captures (`../shared/reference/nomad-wire` beside the package, present in CI; tests that need
// them are skipped with a message where they are absent).

/// Parses hex with optional whitespace ("8286 8441"); traps on bad input, which only tests supply.
public func hex(_ text: String) -> [UInt8] {
    let digits = text.compactMap { $0.hexDigitValue }
    precondition(digits.count == text.filter { !$0.isWhitespace }.count && digits.count % 2 == 0, "bad hex")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
}

/// Renders bytes as lowercase hex without separators.
public func hexString(_ bytes: [UInt8]) -> String {
    let symbols = Array("0123456789abcdef")
    return String(bytes.flatMap { [symbols[Int($0 >> 4)], symbols[Int($0 & 0x0f)]] })
}

/// Renders a string's UTF-8 bytes as lowercase hex.
public func hexUTF8(_ text: String) -> String {
    hexString(Array(text.utf8))
}

/// The nomad-wire reference directory, if present.
public let nomadWireDirectory: String? = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // WireTestSupport.swift, WireTestSupport, Tests
    let candidate = parts.joined(separator: "/") + "/../shared/reference/nomad-wire"
    return readFile(candidate + "/specvec.txt") == nil ? nil : candidate
}()

/// The lines of nomad-wire/specvec.txt (`KEY [NAME] VALUE`) by key, or nil when it is absent.
public let specVectors: [String: String]? = {
    guard let directory = nomadWireDirectory, let text = readFile(directory + "/specvec.txt") else {
        return nil
    }
    var vectors: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let words = line.split(separator: " ", maxSplits: 2).map(String.init)
        guard words.count >= 2 else { continue }
        let key = words.count == 3 ? words[0] + " " + words[1] : words[0]
        vectors[key] = words[words.count - 1]
    }
    return vectors
}()

/// Reads a whole file as UTF-8 text with stdio, or nil if it cannot be opened.
public func readFile(_ path: String) -> String? {
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
