import HPACK

/// Shorthand for a field list.
func fields(_ pairs: [(String, String)]) -> [HeaderField] {
    pairs.map { HeaderField($0.0, $0.1) }
}
