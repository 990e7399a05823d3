import RktError

/// Turns tar member names into checked path components.
enum ArchivePath {
    /// The components of `path` with "." and empty parts dropped. Absolute paths, ".." anywhere and
    /// NUL bytes are refused, so a name can never point above the directory it is extracted into.
    static func components(of path: String, archive: String) throws -> [String] {
        guard !path.hasPrefix("/") else {
            throw RktError(
                .invalidArgument,
                "\(archive): entry \"\(path)\" has an absolute path; ACI entries must be relative "
                    + "(\"manifest\" or \"rootfs/...\")")
        }
        guard !path.utf8.contains(0) else {
            throw RktError(.invalidArgument, "\(archive): entry \"\(path)\" has a NUL byte in its name")
        }

        var parts: [String] = []
        for part in path.split(separator: "/") where part != "." {
            guard part != ".." else {
                throw RktError(
                    .invalidArgument,
                    "\(archive): entry \"\(path)\" has a \"..\" component; refusing to extract outside the image")
            }
            parts.append(String(part))
        }
        return parts
    }
}
