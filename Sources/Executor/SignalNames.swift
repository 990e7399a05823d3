import Glibc

/// Signal names and numbers, for the protocol's `sig=` field and for the CLI edge.
public enum SignalNames {
    private static let table: [(String, Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ILL", SIGILL), ("TRAP", SIGTRAP),
        ("ABRT", SIGABRT), ("BUS", SIGBUS), ("FPE", SIGFPE), ("KILL", SIGKILL), ("USR1", SIGUSR1),
        ("SEGV", SIGSEGV), ("USR2", SIGUSR2), ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM),
        ("CHLD", SIGCHLD), ("CONT", SIGCONT), ("STOP", SIGSTOP), ("TSTP", SIGTSTP), ("TTIN", SIGTTIN),
        ("TTOU", SIGTTOU), ("URG", SIGURG), ("XCPU", SIGXCPU), ("XFSZ", SIGXFSZ), ("VTALRM", SIGVTALRM),
        ("PROF", SIGPROF), ("WINCH", SIGWINCH), ("IO", SIGIO), ("PWR", SIGPWR), ("SYS", SIGSYS),
    ]

    /// The number for `name` ("SIGUSR1", "usr1" or "10"), or nil if it names no signal in 1...64.
    public static func number(for name: String) -> Int32? {
        if let number = Int32(name) {
            return (1...64).contains(number) ? number : nil
        }
        var upper = name.uppercased()
        if upper.hasPrefix("SIG") {
            upper.removeFirst(3)
        }
        return table.first { $0.0 == upper }?.1
    }

    /// The short name of `number` ("USR1"), or the number as text when it has no name here.
    public static func name(for number: Int32) -> String {
        table.first { $0.1 == number }?.0 ?? String(number)
    }
}
