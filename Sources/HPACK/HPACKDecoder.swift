/// Decodes HPACK header blocks (RFC 7541 §6) with one dynamic table shared by every block of a connection.
///
/// Blocks must be decoded in the order they arrive, including blocks of streams the caller then rejects,
/// or the table falls out of step with the peer's encoder.
public struct HPACKDecoder: Sendable {
    /// The dynamic table as the peer's encoder has built it.
    public private(set) var table: DynamicTable
    /// The largest table size the peer may select: our SETTINGS_HEADER_TABLE_SIZE.
    public private(set) var maxTableSizeLimit: Int
    /// The longest string literal accepted, before and after Huffman decoding.
    public var maxStringLength: Int
    /// The largest decoded header list accepted (RFC 9113 SETTINGS_MAX_HEADER_LIST_SIZE semantics).
    public var maxHeaderListSize: Int

    /// Creates a decoder whose table may grow to `maxTableSize` octets.
    public init(maxTableSize: Int = 4096, maxStringLength: Int = 1 << 16, maxHeaderListSize: Int = 1 << 20) {
        table = DynamicTable(maxSize: maxTableSize)
        maxTableSizeLimit = maxTableSize
        self.maxStringLength = maxStringLength
        self.maxHeaderListSize = maxHeaderListSize
    }

    /// Sets the limit the peer's size updates must respect (after our SETTINGS were acknowledged).
    public mutating func setMaxTableSizeLimit(_ limit: Int) {
        maxTableSizeLimit = limit
        if table.maxSize > limit { table.setMaxSize(limit) }
    }

    /// Decodes one complete header block into its fields, updating the dynamic table.
    ///
    /// On error the table may hold part of the block; the connection must then be closed
    /// (COMPRESSION_ERROR), as the two ends can no longer agree on its contents.
    public mutating func decode(_ block: [UInt8]) throws(HPACKError) -> [HeaderField] {
        var fields: [HeaderField] = []
        var index = 0
        var listSize = 0
        while index < block.count {
            let first = block[index]
            let field: HeaderField
            if first & 0x80 != 0 {
                field = try lookup(HPACKPrimitive.readInteger(block, at: &index, prefixBits: 7))
            } else if first & 0xc0 == 0x40 {
                field = try readLiteral(block, at: &index, prefixBits: 6)
                table.insert(field)
            } else if first & 0xe0 == 0x20 {
                guard fields.isEmpty else { throw .misplacedSizeUpdate }
                try applySizeUpdate(HPACKPrimitive.readInteger(block, at: &index, prefixBits: 5))
                continue
            } else {
                field = try readLiteral(block, at: &index, prefixBits: 4, neverIndex: first & 0x10 != 0)
            }
            listSize += field.tableSize
            guard listSize <= maxHeaderListSize else { throw .headerListTooLarge(limit: maxHeaderListSize) }
            fields.append(field)
        }
        return fields
    }

    private mutating func applySizeUpdate(_ requested: Int) throws(HPACKError) {
        guard requested <= maxTableSizeLimit else {
            throw .tableSizeAboveLimit(requested: requested, limit: maxTableSizeLimit)
        }
        table.setMaxSize(requested)
    }

    private func lookup(_ index: Int) throws(HPACKError) -> HeaderField {
        guard index > 0 else { throw .zeroIndex }
        if index <= StaticTable.count {
            let entry = StaticTable.entries[index - 1]
            return HeaderField(entry.name, entry.value)
        }
        guard let field = table[index - StaticTable.count - 1] else {
            throw .invalidIndex(index, tableLength: StaticTable.count + table.count)
        }
        return HeaderField(field.name, field.value)
    }

    private func readLiteral(
        _ block: [UInt8], at index: inout Int, prefixBits: Int, neverIndex: Bool = false
    ) throws(HPACKError) -> HeaderField {
        let nameIndex = try HPACKPrimitive.readInteger(block, at: &index, prefixBits: prefixBits)
        let name: String
        if nameIndex == 0 {
            name = text(try HPACKPrimitive.readString(block, at: &index, maxLength: maxStringLength))
        } else {
            name = try lookup(nameIndex).name
        }
        let value = text(try HPACKPrimitive.readString(block, at: &index, maxLength: maxStringLength))
        return HeaderField(name, value, neverIndex: neverIndex)
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
