/// The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of fields bounded by a size in octets.
///
/// Index 0 of `entries` is the newest field, which HPACK addresses as index 62.
public struct DynamicTable: Sendable {
    /// The fields, newest first.
    public private(set) var entries: [HeaderField] = []
    /// The sum of the entries' sizes (name + value + 32 each).
    public private(set) var size = 0
    /// The current maximum size; inserting past it evicts the oldest entries.
    public private(set) var maxSize: Int

    /// Creates an empty table with the given maximum size.
    public init(maxSize: Int = 4096) {
        self.maxSize = maxSize
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Changes the maximum size, evicting oldest entries until the table fits.
    public mutating func setMaxSize(_ newValue: Int) {
        maxSize = newValue
        evict(toFit: 0)
    }

    /// Adds a field as the newest entry. A field larger than the whole table empties it (RFC 7541 §4.4).
    public mutating func insert(_ field: HeaderField) {
        let fieldSize = field.tableSize
        guard fieldSize <= maxSize else {
            entries.removeAll()
            size = 0
            return
        }
        evict(toFit: fieldSize)
        entries.insert(field, at: 0)
        size += fieldSize
    }

    /// The field at a dynamic position (0 = newest), or nil past the end.
    public subscript(position: Int) -> HeaderField? {
        position >= 0 && position < entries.count ? entries[position] : nil
    }

    /// The lowest position holding exactly this field, and the lowest holding this name.
    func lookup(name: String, value: String) -> (full: Int?, nameOnly: Int?) {
        var nameOnly: Int?
        for (position, entry) in entries.enumerated() where entry.name == name {
            if entry.value == value { return (position, position) }
            if nameOnly == nil { nameOnly = position }
        }
        return (nil, nameOnly)
    }

    private mutating func evict(toFit incoming: Int) {
        while size + incoming > maxSize, let oldest = entries.popLast() {
            size -= oldest.tableSize
        }
    }
}
