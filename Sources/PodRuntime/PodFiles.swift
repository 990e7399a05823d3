/// The small files rkt writes for every pod: /etc/hosts fallback, /etc/hostname, the app's env.
public enum PodFiles {
    /// rkt's default /etc/hosts, with the pod's hostname on the 127.0.0.1 line.
    public static func hostsFallback(hostname: String) -> String {
        """
        # This is the default rkt /etc/hosts
        127.0.0.1 localhost localhost.domain localhost4 localhost4.localdomain4 \(hostname)

        ::1 ip6-localhost ip6-loopback localhost6 localhost6.localdomain6
        fe00::0 ip6-localnet
        ff00::0 ip6-mcastprefix
        ff02::1 ip6-allnodes
        ff02::2 ip6-allrouters
        ff02::3 ip6-allhosts

        """
    }

    /// The defaults every app gets unless its env sets them (rkt-runtime.md §4.3).
    static let defaultEnvironment: [(String, String)] = [
        ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        ("SHELL", "/bin/sh"), ("USER", "root"), ("LOGNAME", "root"), ("HOME", "/root"),
    ]

    /// The app's final environment: defaults for missing keys, then the app's own entries in
    /// order, then AC_APP_NAME and container=rkt, which always win.
    public static func environment(app: String, entries: [(name: String, value: String)]) -> [(String, String)] {
        var result: [(String, String)] = []
        let given = Set(entries.map(\.name))
        for (name, value) in defaultEnvironment where !given.contains(name) {
            result.append((name, value))
        }
        for entry in entries where entry.name != "AC_APP_NAME" && entry.name != "container" {
            result.append((entry.name, entry.value))
        }
        result.append(("AC_APP_NAME", app))
        result.append(("container", "rkt"))
        return result
    }

    /// rkt's env file format: one `NAME=VALUE` line per entry (used by `rkt enter`).
    public static func envFile(_ environment: [(String, String)]) -> String {
        environment.map { "\($0.0)=\($0.1)\n" }.joined()
    }
}
