/// Why a header block (or one of its primitives) could not be decoded.
///
/// Every malformed input maps to one of these cases; the decoder never traps on peer data. An HTTP/2
/// endpoint treats any of them as a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3).
public enum HPACKError: Error, Equatable, Sendable {
    /// The block ended inside a prefixed integer.
    case truncatedInteger
    /// A prefixed integer does not fit the decoder's limit (it would overflow, or uses too many octets).
    case integerOverflow
    /// The block ended inside a string literal (the declared length runs past the end).
    case truncatedString(declared: Int, available: Int)
    /// A string literal is longer than the decoder accepts.
    case stringTooLong(length: Int, limit: Int)
    /// A Huffman-coded string contains the EOS symbol.
    case huffmanEOS
    /// A Huffman-coded string ends with more than 7 padding bits, or padding that is not all ones.
    case invalidHuffmanPadding
    /// An indexed representation used index 0.
    case zeroIndex
    /// An index points past the end of the static and dynamic tables.
    case invalidIndex(Int, tableLength: Int)
    /// A dynamic table size update asked for more than the limit set by the protocol (SETTINGS).
    case tableSizeAboveLimit(requested: Int, limit: Int)
    /// A dynamic table size update followed a header field representation in the same block.
    case misplacedSizeUpdate
    /// The decoded header list is larger than the decoder accepts (name + value + 32 per field).
    case headerListTooLarge(limit: Int)
}
