import CShim
import Glibc

extension Supervisor {
    /// What a request produces: a reply now, or a wait for the task's exit.
    enum Outcome {
        case reply(WireMessage)
        case pending(ClientConnection.Pending)
    }

    /// Accepts every waiting connection, refusing peers that are neither root nor this executor's user.
    func acceptClients() {
        while true {
            let fd = rkt_accept_cloexec(listenFD)
            guard fd >= 0 else {
                return  // EAGAIN: no more; other errors (EMFILE, ECONNABORTED) are retried on the next event.
            }
            var client = ClientConnection(fd: fd)
            var uid: uid_t = 0
            guard rkt_peer_uid(fd, &uid) == 0, uid == 0 || uid == geteuid(), clients.count < Self.maxClients else {
                client.closeAfterFlush = true
                client.queue(failure(ExecutorError(.permissionDenied, "connection refused")))
                closeQuietly(fd)
                continue
            }
            clients.append(client)
        }
    }

    /// Reads from, answers and writes to the client at `index`.
    func serve(at index: Int, revents: Int16) {
        if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0, !clients[index].receive(into: &buffer) {
            clients[index].closed = true
            return
        }
        while let line = clients[index].nextLine() {
            switch respond(to: line) {
            case .reply(let message): clients[index].queue(message)
            case .pending(let pending): clients[index].pending = pending
            }
        }
        if revents & Int16(POLLOUT) != 0 {
            clients[index].flush()
        }
    }

    /// Answers one request line. Must not touch `clients`: the caller holds one of them.
    func respond(to line: String) -> Outcome {
        do throws(ExecutorError) {
            let request = try WireMessage.parse(line)
            switch request.verb {
            case "status": return .reply(status.message)
            case "signal": return try signal(request)
            case "stop": return try stop(request)
            case "wait": return try wait(request)
            case "shutdown": return try shutdown(request)
            default: throw ExecutorError(.protocolError, "unknown request '\(request.verb)'")
            }
        } catch {
            return .reply(failure(error))
        }
    }

    private func signal(_ request: WireMessage) throws(ExecutorError) -> Outcome {
        try sendToChild(try signalNumber(request))
        return .reply(WireMessage("ok"))
    }

    private func stop(_ request: WireMessage) throws(ExecutorError) -> Outcome {
        let signal = try signalNumber(request)
        guard exit == nil else {
            return .reply(status.message)
        }
        try beginStop(signal, timeoutMilliseconds: try milliseconds(request, "timeout_ms") ?? 0)
        return .pending(.exit(deadline: nil))
    }

    private func wait(_ request: WireMessage) throws(ExecutorError) -> Outcome {
        let timeout = try milliseconds(request, "timeout_ms")
        guard exit == nil else {
            return .reply(status.message)
        }
        return .pending(.exit(deadline: timeout.map { monotonicMilliseconds() + $0 }))
    }

    private func shutdown(_ request: WireMessage) throws(ExecutorError) -> Outcome {
        let force = request["force"] == "true"
        guard exit != nil || force else {
            throw ExecutorError(.invalidState, "the task is still running; stop it first or use force=true")
        }
        exitRequested = true
        killChildGroup()
        return .reply(WireMessage("ok"))
    }

    private func signalNumber(_ request: WireMessage) throws(ExecutorError) -> Int32 {
        guard let name = request["sig"], let number = SignalNames.number(for: name) else {
            throw ExecutorError(.invalidArgument, "'\(request.verb)' needs sig=NAME or sig=NUMBER")
        }
        return number
    }

    private func milliseconds(_ request: WireMessage, _ key: String) throws(ExecutorError) -> Int64? {
        guard let text = request[key] else {
            return nil
        }
        guard let value = Int64(text), value >= 0 else {
            throw ExecutorError(.invalidArgument, "\(key) must be a whole number of milliseconds, got '\(text)'")
        }
        return value
    }

    private func failure(_ error: ExecutorError) -> WireMessage {
        WireMessage("err", [("code", error.code.rawValue), ("msg", error.message)])
    }
}
