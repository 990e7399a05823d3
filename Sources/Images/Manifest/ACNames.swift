/// Syntax checks for the appc name forms, written as small scanners instead of regexes.
public enum ACNames {
    /// AC Identifier: `^[a-z0-9]+([-._~/][a-z0-9]+)*$`, e.g. "example.com/app".
    public static func isIdentifier(_ text: String) -> Bool {
        isSeparated(text, separators: Set("-._~/".utf8))
    }

    /// AC Name: `^[a-z0-9]+([-][a-z0-9]+)*$`, e.g. "http-alt".
    public static func isName(_ text: String) -> Bool {
        isSeparated(text, separators: [UInt8(ascii: "-")])
    }

    /// Turns arbitrary text into an AC Name the way rkt derives default app names: lower-case,
    /// every other character becomes "-", runs of "-" collapse, and edges are trimmed.
    public static func sanitizedName(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if keep {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") {
            out.removeLast()
        }
        return out
    }

    /// Environment variable names: a letter or "_" first, then letters, digits, "_", "." or "-".
    public static func isEnvironmentName(_ text: String) -> Bool {
        guard let first = text.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else {
            return false
        }
        return text.utf8.allSatisfy { byte in
            isLetter(byte) || isDigit(byte) || Set("_.-".utf8).contains(byte)
        }
    }

    /// Semantic version 2.0: MAJOR.MINOR.PATCH, optional "-prerelease" and "+build".
    public static func isSemanticVersion(_ text: String) -> Bool {
        let build = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        if build.count == 2 && !areDotParts(build[1], numeric: false) {
            return false
        }
        let pre = build[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        if pre.count == 2 && !areDotParts(pre[1], numeric: false) {
            return false
        }
        let core = pre[0].split(separator: ".", omittingEmptySubsequences: false)
        return core.count == 3 && areDotParts(pre[0], numeric: true)
    }

    /// Dot-separated parts: non-empty; numeric ones have no leading zero.
    private static func areDotParts(_ text: Substring, numeric: Bool) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard !part.isEmpty else {
                return false
            }
            let allDigits = part.utf8.allSatisfy(isDigit)
            if numeric && !allDigits {
                return false
            }
            if allDigits {
                return part == "0" || !part.hasPrefix("0")
            }
            return part.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// Lower-case alphanumeric runs joined by single separator characters.
    private static func isSeparated(_ text: String, separators: Set<UInt8>) -> Bool {
        var previousWasSeparator = true
        for byte in text.utf8 {
            if separators.contains(byte) {
                guard !previousWasSeparator else {
                    return false
                }
                previousWasSeparator = true
            } else if isLowerAlphanumeric(byte) {
                previousWasSeparator = false
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || isDigit(byte)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
