/// POSIX pax extended header records: lines of the form "<length> <key>=<value>\n", where length
/// counts the whole line including its own digits.
enum PaxRecords {
    /// Parses a pax data block; nil when a record is malformed.
    static func parse(_ data: [UInt8]) -> [String: String]? {
        var records: [String: String] = [:]
        var offset = 0
        while offset < data.count {
            if data[offset] == 0 {
                break
            }
            guard let space = data[offset...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: data[offset..<space], as: UTF8.self)),
                length > space - offset + 1, offset + length <= data.count,
                data[offset + length - 1] == UInt8(ascii: "\n")
            else {
                return nil
            }

            let record = data[(space + 1)..<(offset + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
                return nil
            }
            let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
            records[key] = String(decoding: record[(equals + 1)...], as: UTF8.self)
            offset += length
        }
        return records
    }

    /// Encodes records in key order (deterministic output).
    static func encode(_ records: [String: String]) -> [UInt8] {
        var out: [UInt8] = []
        for (key, value) in records.sorted(by: { $0.key < $1.key }) {
            out += line(key: key, value: value)
        }
        return out
    }

    /// One record; the length prefix is found by iterating, since it counts its own digits.
    private static func line(key: String, value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n".utf8.count
        var length = body + 1
        while String(length).utf8.count + body != length {
            length = String(length).utf8.count + body
        }
        return Array("\(length) \(key)=\(value)\n".utf8)
    }
}
