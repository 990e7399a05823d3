import Glibc
import RktError
import RktSys

/// Resolves an app's `user`/`group` to numbers inside its rootfs, in rkt's order: a number is
/// used as it is, a `/path` means the owner of that file in the rootfs, anything else is a name
/// looked up in the rootfs' /etc/passwd or /etc/group (never the host's).
public struct UserResolver: Sendable {
    public let rootfs: String

    public init(rootfs: String) {
        self.rootfs = rootfs
    }

    public func uid(_ user: String) throws -> UInt32 {
        try resolve(user, database: "passwd", kind: "user", ownerField: \.st_uid)
    }

    public func gid(_ group: String) throws -> UInt32 {
        try resolve(group, database: "group", kind: "group", ownerField: \.st_gid)
    }

    private func resolve(_ value: String, database: String, kind: String, ownerField: KeyPath<stat, UInt32>) throws
        -> UInt32
    {
        if let number = UInt32(value) {
            return number
        }
        if value.hasPrefix("/") {
            var info = stat()
            guard lstat("\(rootfs)\(value)", &info) == 0 else {
                throw RktError.sys("lstat", "\(rootfs)\(value)", "cannot resolve \(kind) \"\(value)\" from file owner")
            }
            return info[keyPath: ownerField]
        }
        let text = (try? FileSystem.readText("\(rootfs)/etc/\(database)")) ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 2, fields[0] == value, let number = UInt32(fields[2]) {
                return number
            }
        }
        throw RktError(.notFound, "\(kind) \"\(value)\" not found in the image's /etc/\(database); use a numeric id")
    }
}
