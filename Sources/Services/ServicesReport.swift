import RktSys

/// The output of `rkt-driver services`: a table for people, `--json` for programs.
public enum ServicesReport {
    /// Longest check output shown in the table (the JSON form keeps all of it).
    public static let outputWidth = 72

    /// One row per service (ID, NAME, ADDRESS, PORT, TAGS, CHECKS), each followed by one
    /// indented line per check with its status and the first line of its last output.
    public static func table(_ registrations: [ServiceRegistration]) -> String {
        guard !registrations.isEmpty else {
            return "No services registered\n"
        }
        let sorted = registrations.sorted { $0.id < $1.id }
        var rows = [["ID", "NAME", "ADDRESS", "PORT", "TAGS", "CHECKS"]]
        for service in sorted {
            let checks = service.checks.map { "\($0.name)=\($0.status.rawValue)" }.joined(separator: ",")
            rows.append([
                service.id, service.name, orDash(service.address), String(service.port),
                orDash(service.tags.joined(separator: ",")), orDash(checks),
            ])
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }

        var text = ""
        for (index, row) in rows.enumerated() {
            text += align(row, widths) + "\n"
            guard index > 0 else {
                continue
            }
            for check in sorted[index - 1].checks {
                text += "    check \(check.name) (\(check.type)) \(check.status.rawValue): \(summary(check.output))\n"
            }
        }
        return text
    }

    /// The registrations as pretty JSON with sorted keys, ending in a newline.
    public static func json(_ registrations: [ServiceRegistration]) throws -> String {
        try JSON.encodeString(registrations.sorted { $0.id < $1.id }, pretty: true) + "\n"
    }

    private static func align(_ row: [String], _ widths: [Int]) -> String {
        var line = ""
        for (column, cell) in row.enumerated() {
            let isLast = column == row.count - 1
            line += isLast ? cell : cell.padding(toLength: widths[column] + 2)
        }
        return line
    }

    /// The first line of `output`, shortened to `outputWidth` characters.
    static func summary(_ output: String) -> String {
        let first = output.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        guard !first.isEmpty else {
            return "-"
        }
        return first.count > outputWidth ? String(first.prefix(outputWidth - 3)) + "..." : first
    }

    private static func orDash(_ text: String) -> String {
        text.isEmpty ? "-" : text
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
