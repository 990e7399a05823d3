// Known limitations:
// - OOM kills are not detected here: `oom_killed` is always false in the record and the driver must fill it
//   from the pod's cgroup (memory.oom_control / memory.events), which the executor cannot see.
// - If accept fails for want of descriptors (EMFILE), the listener stays readable and the loop retries on
//   every pass until a descriptor frees up; it does not back off.

import CShim
import Glibc

/// The executor's running state and its single poll loop: no threads, no async.
///
/// One `poll` watches the signalfd (SIGCHLD, SIGTERM, SIGINT, SIGHUP), the task's two output pipes, the
/// listening socket and every connected client; timeouts come from the nearest deadline (a stop's SIGKILL,
/// a client's `wait`, the linger after exit). Only this loop reaps, and only the task's pid.
final class Supervisor {
    /// The signals the executor takes through its signalfd; `main` blocks them before anything else.
    static let handledSignals = [SIGCHLD, SIGTERM, SIGINT, SIGHUP]
    /// How long the executor gives the task after forwarding SIGTERM or SIGINT sent to the executor itself.
    static let selfStopTimeoutMilliseconds: Int64 = 10_000
    /// At most this many clients at once; later ones are refused.
    static let maxClients = 64

    let options: ExecutorOptions
    let childPid: pid_t
    let startedMilliseconds: Int64
    let signalFD: Int32
    let listenFD: Int32

    var exit: ExitRecord?
    var pumps: [LogPump]
    var clients: [ClientConnection] = []
    var killDeadline: Int64?
    var killedByExecutor = false
    var lingerDeadline: Int64?
    var exitRequested = false
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(options: ExecutorOptions, child: pid_t, started: Int64, signalFD: Int32, listenFD: Int32, pumps: [LogPump]) {
        self.options = options
        self.childPid = child
        self.startedMilliseconds = started
        self.signalFD = signalFD
        self.listenFD = listenFD
        self.pumps = pumps
    }

    /// The current status, as `status` reports it.
    var status: ExecutorStatus {
        ExecutorStatus(
            childPid: childPid, startedMilliseconds: startedMilliseconds, droppedLogBytes: droppedLogBytes,
            exit: exit)
    }

    var droppedLogBytes: Int64 { pumps.reduce(0) { $0 + $1.sink.droppedBytes } }

    /// Serves until the task has exited and either `shutdown`, a signal or the linger ends it. Returns the
    /// executor's exit status.
    func run() -> Int32 {
        reapIfExited()
        while !(exit != nil && exitRequested) {
            if let linger = lingerDeadline, monotonicMilliseconds() >= linger {
                note("no shutdown within \(options.lingerSeconds)s of the task's exit; leaving")
                break
            }
            pollOnce()
        }
        finish()
        return 0
    }

    private func pollOnce() {
        var fds = [pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)]
        fds.append(pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0))
        for pump in pumps {
            fds.append(pollfd(fd: pump.fd, events: Int16(POLLIN), revents: 0))
        }
        // A sink waiting for a slow reader (-1, ignored by poll, otherwise).
        for pump in pumps {
            fds.append(pollfd(fd: pump.writableFD, events: Int16(POLLOUT), revents: 0))
        }
        for client in clients {
            let events = Int16(POLLIN) | (client.output.isEmpty ? 0 : Int16(POLLOUT))
            fds.append(pollfd(fd: client.fd, events: events, revents: 0))
        }
        let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), pollTimeout()) }
        guard ready >= 0 else {
            precondition(errno == EINTR || errno == ENOMEM, "poll: \(errnoText(errno))")
            return
        }
        dispatch(fds)
        handleDeadlines(now: monotonicMilliseconds())
    }

    private func dispatch(_ fds: [pollfd]) {
        if fds[0].revents != 0 {
            handleSignals()
        }
        for index in pumps.indices where fds[2 + index].revents != 0 {
            for text in pumps[index].drain(into: &buffer, maxReads: 16) {
                note(text)
            }
        }
        // Path sinks write what waits, or retry their open, on every pass: both are cheap non-blocking calls.
        let now = monotonicMilliseconds()
        for index in pumps.indices {
            if let text = pumps[index].flushSink(now: now) {
                note(text)
            }
        }
        let firstClient = 2 + 2 * pumps.count
        for index in clients.indices where fds[firstClient + index].revents != 0 {
            serve(at: index, revents: fds[firstClient + index].revents)
        }
        if fds[1].revents != 0 {
            acceptClients()
        }
        dropClosedClientsAndPipes()
    }

    private func dropClosedClientsAndPipes() {
        for client in clients where client.closed {
            closeQuietly(client.fd)
        }
        clients.removeAll { $0.closed }
        pumps.removeAll { $0.isFinished }
    }

    /// Milliseconds until the nearest deadline, or -1 to wait for events only.
    private func pollTimeout() -> Int32 {
        var deadlines = [killDeadline, lingerDeadline].compactMap { $0 } + pumps.compactMap(\.retryDeadline)
        for client in clients {
            if case .exit(let deadline?) = client.pending {
                deadlines.append(deadline)
            }
        }
        guard let nearest = deadlines.min() else {
            return -1
        }
        return Int32(clamping: max(0, nearest - monotonicMilliseconds()))
    }

    private func handleSignals() {
        while true {
            let signal = rkt_signalfd_next(signalFD)
            guard signal > 0 else {
                return
            }
            switch signal {
            case SIGCHLD: reapIfExited()
            case SIGTERM, SIGINT: stopForSelf(signal)
            default: break  // SIGHUP: the executor has no terminal and no configuration to reload.
            }
        }
    }

    /// Closes every client, the socket and the pipes, and removes the socket file; the state files stay.
    private func finish() {
        for index in clients.indices {
            clients[index].flush()
            closeQuietly(clients[index].fd)
        }
        clients.removeAll()
        closeQuietly(listenFD)
        _ = unlink(options.socketPath)
        for index in pumps.indices {
            _ = pumps[index].drain(into: &buffer, maxReads: 64)
            pumps[index].close()
        }
        closeQuietly(signalFD)
        note("exiting")
    }
}
