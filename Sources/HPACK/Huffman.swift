/// Huffman coding of string literals with the static HPACK code (RFC 7541 §5.2, Appendix B).
public enum Huffman {
    /// The number of octets `bytes` takes once Huffman-coded.
    public static func encodedLength(_ bytes: some Sequence<UInt8>) -> Int {
        var bits = 0
        for byte in bytes { bits += Int(huffmanCodes[Int(byte)].length) }
        return (bits + 7) / 8
    }

    /// Huffman-codes `bytes`, padding the last octet with the most significant bits of EOS (all ones).
    public static func encode(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var accumulator: UInt64 = 0
        var pending = 0  // bits held in the low end of `accumulator`
        for byte in bytes {
            let entry = huffmanCodes[Int(byte)]
            accumulator = (accumulator << UInt64(entry.length)) | UInt64(entry.code)
            pending += Int(entry.length)
            while pending >= 8 {
                pending -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt64(pending)))
            }
        }
        if pending > 0 {
            let padding = 8 - pending
            out.append(UInt8(truncatingIfNeeded: (accumulator << UInt64(padding)) | ((1 << UInt64(padding)) - 1)))
        }
        return out
    }

    /// Decodes a Huffman-coded string.
    ///
    /// Rejects the EOS symbol and any padding longer than 7 bits or not made of ones (RFC 7541 §5.2).
    public static func decode(_ bytes: some Sequence<UInt8>) throws(HPACKError) -> [UInt8] {
        let tree = HuffmanTree.shared
        var out: [UInt8] = []
        var node = 0
        var depth = 0  // bits consumed since the last complete symbol
        var allOnes = true  // whether those bits were all ones
        for byte in bytes {
            for shift in stride(from: 7, through: 0, by: -1) {
                let bit = Int(byte >> UInt8(shift)) & 1
                node = tree.child(node, bit)
                depth += 1
                allOnes = allOnes && bit == 1
                guard let symbol = tree.symbol(at: node) else { continue }
                guard symbol != 256 else { throw .huffmanEOS }
                out.append(UInt8(symbol))
                node = 0
                depth = 0
                allOnes = true
            }
        }
        guard depth <= 7 && allOnes else { throw .invalidHuffmanPadding }
        return out
    }
}

/// A binary decoding tree for the static code, built once from `huffmanCodes`.
///
/// Nodes live in flat arrays; node 0 is the root. A leaf stores its symbol, an inner node its two children.
/// Because the code is complete (Kraft sum exactly 1), every inner node has both children.
struct HuffmanTree: Sendable {
    static let shared = HuffmanTree()

    private var children: [Int32] = [0, 0]  // two slots per node: child for bit 0, child for bit 1
    private var symbols: [Int16] = [-1]  // -1 for inner nodes

    private init() {
        for (symbol, entry) in huffmanCodes.enumerated() {
            insert(symbol: symbol, code: entry.code, length: Int(entry.length))
        }
    }

    private mutating func insert(symbol: Int, code: UInt32, length: Int) {
        var node = 0
        for position in stride(from: length - 1, through: 0, by: -1) {
            let bit = Int(code >> UInt32(position)) & 1
            var next = Int(children[node * 2 + bit])
            if next == 0 {
                next = symbols.count
                symbols.append(-1)
                children.append(contentsOf: [0, 0])
                children[node * 2 + bit] = Int32(next)
            }
            node = next
        }
        symbols[node] = Int16(symbol)
    }

    /// The child of `node` along `bit` (0 or 1).
    func child(_ node: Int, _ bit: Int) -> Int { Int(children[node * 2 + bit]) }

    /// The symbol stored at `node`, or nil for an inner node.
    func symbol(at node: Int) -> Int? {
        let symbol = symbols[node]
        return symbol < 0 ? nil : Int(symbol)
    }
}
