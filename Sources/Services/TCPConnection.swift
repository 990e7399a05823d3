import Glibc
import RktError
import RktSys

/// A blocking TCP client socket whose every operation honours one overall deadline: connect,
/// writes and reads each wait with poll(2) for at most the time left. Closed on `close()` or deinit.
final class TCPConnection {
    private(set) var fd: Int32
    let peer: String
    let deadline: ContinuousClock.Instant

    private init(fd: Int32, peer: String, deadline: ContinuousClock.Instant) {
        self.fd = fd
        self.peer = peer
        self.deadline = deadline
    }

    deinit {
        close()
    }

    /// Connects to `host:port`, trying each resolved address in turn until the deadline.
    static func open(host: String, port: Int, timeout: Duration) throws(RktError) -> TCPConnection {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let peer = joinHostPort(host, port)
        var lastError = RktError(.notFound, "connect to \(peer): no addresses")
        for address in try resolve(host: host, port: port, peer: peer) {
            do {
                let fd = try connect(address, peer: peer, deadline: deadline, timeout: timeout)
                return TCPConnection(fd: fd, peer: peer, deadline: deadline)
            } catch {
                lastError = error
                if error.code == .timeout {
                    break
                }
            }
        }
        throw lastError
    }

    /// Sends every byte, or throws when the peer fails or the deadline passes.
    func writeAll(_ bytes: [UInt8]) throws(RktError) {
        var offset = 0
        while offset < bytes.count {
            try wait(for: Int16(POLLOUT), doing: "write to")
            let sent = bytes[offset...].withUnsafeBytes { chunk in
                retryingEINTR { send(fd, chunk.baseAddress, chunk.count, Int32(MSG_NOSIGNAL)) }
            }
            guard sent > 0 else {
                throw failure("write to", errno)
            }
            offset += sent
        }
    }

    /// Up to `limit` bytes; an empty array means the peer closed its side.
    func read(limit: Int = 16_384) throws(RktError) -> [UInt8] {
        try wait(for: Int16(POLLIN), doing: "read from")
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { raw in
            retryingEINTR { recv(fd, raw.baseAddress, raw.count, 0) }
        }
        guard count >= 0 else {
            throw failure("read from", errno)
        }
        return Array(buffer[..<count])
    }

    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// `host:port`, with brackets around IPv6 literals.
    static func joinHostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private func wait(for events: Int16, doing action: String) throws(RktError) {
        try Self.poll(fd, events: events, deadline: deadline, peer: peer, action: action)
    }

    private func failure(_ action: String, _ code: Int32) -> RktError {
        RktError(.internal, "\(action) \(peer): \(errnoText(code))")
    }
}

extension TCPConnection {
    /// Waits until `fd` is ready for `events`, or throws a timeout when the deadline passes.
    fileprivate static func poll(
        _ fd: Int32, events: Int16, deadline: ContinuousClock.Instant, peer: String, action: String
    ) throws(RktError) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                throw RktError(.timeout, "\(action) \(peer): timed out")
            }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let millis = Int32(clamping: max(1, left.wholeMilliseconds))
            let ready = Glibc.poll(&entry, 1, millis)
            if ready > 0 {
                return
            }
            if ready < 0 && errno != EINTR {
                throw RktError(.internal, "\(action) \(peer): poll: \(errnoText(errno))")
            }
        }
    }

    /// The addresses of `host` (a literal or a name), each as a copied sockaddr.
    fileprivate static func resolve(host: String, port: Int, peer: String) throws(RktError) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? "127.0.0.1" : host, String(port), &hints, &list)
        guard status == 0 else {
            throw RktError(
                .notFound, "connect to \(peer): cannot resolve \"\(host)\": \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }

        var addresses: [[UInt8]] = []
        var cursor = list
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: raw, count: Int(entry.pointee.ai_addrlen))
                addresses.append(Array(bytes))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// A non-blocking connect that waits for completion with poll, then reads SO_ERROR.
    fileprivate static func connect(
        _ address: [UInt8], peer: String, deadline: ContinuousClock.Instant, timeout: Duration
    ) throws(RktError) -> Int32 {
        let family = address.withUnsafeBytes { $0.load(as: sockaddr.self).sa_family }
        let fd = socket(Int32(family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw RktError(.internal, "connect to \(peer): socket: \(errnoText(errno))")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)

        let started = address.withUnsafeBytes { raw in
            Glibc.connect(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        do throws(RktError) {
            if started != 0 {
                guard errno == EINPROGRESS else {
                    throw RktError(.internal, "connect to \(peer): \(errnoText(errno))")
                }
                try poll(fd, events: Int16(POLLOUT), deadline: deadline, peer: peer, action: "connect to")
                try checkSocketError(fd, peer: peer)
            }
        } catch {
            Glibc.close(fd)
            if error.code == .timeout {
                throw RktError(.timeout, "connect to \(peer): timed out after \(GoDuration.format(timeout))")
            }
            throw error
        }
        return fd
    }

    private static func checkSocketError(_ fd: Int32, peer: String) throws(RktError) {
        var pending: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) == 0 else {
            throw RktError(.internal, "connect to \(peer): getsockopt: \(errnoText(errno))")
        }
        guard pending == 0 else {
            throw RktError(.internal, "connect to \(peer): \(errnoText(pending))")
        }
    }
}
