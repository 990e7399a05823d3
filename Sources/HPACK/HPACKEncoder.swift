/// Encodes header lists into HPACK header blocks (RFC 7541 §6), keeping its own dynamic table.
public struct HPACKEncoder: Sendable {
    /// When string literals are Huffman-coded.
    public enum HuffmanPolicy: Sendable {
        /// Never: every literal is raw.
        case never
        /// Always, even where it is longer than the raw form.
        case always
        /// Only where the coded form is shorter.
        case whenShorter
    }

    /// Which literals enter the dynamic table.
    public enum IndexingPolicy: Sendable {
        /// Add every literal (except `neverIndex` fields) with incremental indexing.
        case incremental
        /// Send every literal without indexing; the table stays empty (and is never consulted).
        case none
    }

    /// The encoder's copy of the table the peer's decoder holds.
    public private(set) var table: DynamicTable
    /// The Huffman policy for literals.
    public var huffman: HuffmanPolicy
    /// The indexing policy for literals.
    public var indexing: IndexingPolicy
    private var smallestPendingSize: Int?  // the lowest size set since the last block, if any change
    /// Creates an encoder whose table starts at `maxTableSize` (4096 unless the peer's SETTINGS say otherwise).
    public init(
        maxTableSize: Int = 4096, huffman: HuffmanPolicy = .whenShorter, indexing: IndexingPolicy = .incremental
    ) {
        table = DynamicTable(maxSize: maxTableSize)
        self.huffman = huffman
        self.indexing = indexing
    }

    /// Changes the table size; the next block starts with the size update(s) that tell the peer
    /// (the smallest size reached since the last block, then the final one, per RFC 7541 §4.2).
    public mutating func setMaxTableSize(_ size: Int) {
        smallestPendingSize = min(smallestPendingSize ?? size, size)
        table.setMaxSize(size)
    }

    /// Encodes `fields` as one header block.
    public mutating func encode(_ fields: [HeaderField]) -> [UInt8] {
        var out: [UInt8] = []
        if let smallest = smallestPendingSize {
            if smallest < table.maxSize {
                HPACKPrimitive.appendInteger(smallest, prefixBits: 5, flags: 0x20, to: &out)
            }
            HPACKPrimitive.appendInteger(table.maxSize, prefixBits: 5, flags: 0x20, to: &out)
            smallestPendingSize = nil
        }
        for field in fields { append(field, to: &out) }
        return out
    }

    private mutating func append(_ field: HeaderField, to out: inout [UInt8]) {
        let (full, nameOnly) = find(field)
        if let full, !field.neverIndex {
            HPACKPrimitive.appendInteger(full, prefixBits: 7, flags: 0x80, to: &out)
            return
        }
        if field.neverIndex {
            HPACKPrimitive.appendInteger(nameOnly ?? 0, prefixBits: 4, flags: 0x10, to: &out)
        } else if indexing == .incremental {
            HPACKPrimitive.appendInteger(nameOnly ?? 0, prefixBits: 6, flags: 0x40, to: &out)
            table.insert(field)
        } else {
            HPACKPrimitive.appendInteger(nameOnly ?? 0, prefixBits: 4, to: &out)
        }
        if nameOnly == nil { appendString(field.name, to: &out) }
        appendString(field.value, to: &out)
    }

    /// The best full match and name match: static table first, then the dynamic table.
    private func find(_ field: HeaderField) -> (full: Int?, nameOnly: Int?) {
        let fixed = StaticTable.lookup(name: field.name, value: field.value)
        if let full = fixed.full { return (full, full) }
        guard indexing == .incremental else { return (nil, fixed.nameOnly) }

        let dynamic = table.lookup(name: field.name, value: field.value)
        let offset = StaticTable.count + 1
        return (dynamic.full.map { $0 + offset }, fixed.nameOnly ?? dynamic.nameOnly.map { $0 + offset })
    }

    private func appendString(_ string: String, to out: inout [UInt8]) {
        let bytes = Array(string.utf8)
        let useHuffman: Bool
        switch huffman {
        case .never: useHuffman = false
        case .always: useHuffman = true
        case .whenShorter: useHuffman = Huffman.encodedLength(bytes) < bytes.count
        }
        HPACKPrimitive.appendString(bytes, huffman: useHuffman, to: &out)
    }
}
