import Dispatch
import Glibc

/// Signal handling that does not lose signals (STYLE §5.8): the signals are blocked in every
/// thread first, then a DispatchSource per signal delivers them on a queue.
public enum Signals {
    /// Blocks `signals` in the calling thread. Call first thing in `main`, before any thread exists,
    /// so that every later thread inherits the mask.
    public static func block(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaddset(&set, signal)
        }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Calls `handler` on `queue` for each arrival of one of `signals` (which must be blocked).
    /// Keep the returned sources alive for as long as the handler is wanted.
    public static func observe(
        _ signals: [Int32], on queue: DispatchQueue, handler: @escaping @Sendable (Int32) -> Void
    ) -> [any DispatchSourceSignal] {
        signals.map { signal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler { handler(signal) }
            source.resume()
            return source
        }
    }

    /// Signal names as Nomad and rkt spell them, to numbers.
    public static func number(named name: String) -> Int32? {
        let table: [String: Int32] = [
            "SIGHUP": SIGHUP, "SIGINT": SIGINT, "SIGQUIT": SIGQUIT, "SIGKILL": SIGKILL, "SIGUSR1": SIGUSR1,
            "SIGUSR2": SIGUSR2, "SIGTERM": SIGTERM, "SIGCONT": SIGCONT, "SIGSTOP": SIGSTOP, "SIGWINCH": SIGWINCH,
            "SIGALRM": SIGALRM, "SIGPIPE": SIGPIPE, "SIGABRT": SIGABRT, "SIGTSTP": SIGTSTP, "SIGTTIN": SIGTTIN,
            "SIGTTOU": SIGTTOU, "SIGIO": SIGIO, "SIGSYS": SIGSYS, "SIGTRAP": SIGTRAP, "SIGXCPU": SIGXCPU,
        ]
        let upper = name.uppercased()
        if let number = table[upper] ?? table["SIG" + upper] {
            return number
        }
        return Int32(name).flatMap { (1..<65).contains($0) ? $0 : nil }
    }
}

extension Signals {
    /// Unblocks `signals` in the calling thread (the default actions apply again).
    public static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaddset(&set, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
