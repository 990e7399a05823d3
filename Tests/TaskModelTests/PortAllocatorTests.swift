import Glibc
import Testing

@testable import TaskModel

@Suite struct PortAllocatorTests {
    @Test func skipsUsedAndBoundPorts() throws {
        var allocator = PortAllocator(range: 20000...20010, used: [20000], probe: { $0 != 20001 })
        #expect(try allocator.allocate() == 20002)
        #expect(try allocator.allocate() == 20003)
        #expect(allocator.used == [20000, 20002, 20003])
    }

    @Test func assignsDynamicPortsAfterReservingFixedOnes() throws {
        var allocator = PortAllocator(range: 20000...20010, probe: { _ in true })
        let networks = [
            NetworkResource(
                reservedPorts: [Port(label: "admin", value: 20000)],
                dynamicPorts: [Port(label: "db"), Port(label: "http")])
        ]
        let assigned = try allocator.assign(networks)
        #expect(assigned[0].dynamicPorts == [Port(label: "db", value: 20001), Port(label: "http", value: 20002)])
        #expect(assigned[0].reservedPorts == networks[0].reservedPorts)
    }

    @Test func reportsExhaustionAndReservedConflicts() {
        var full = PortAllocator(range: 20000...20001, used: [20000], probe: { _ in false })
        #expect(throws: PortAllocationError.exhausted(20000...20001)) { try full.allocate() }
        #expect(PortAllocationError.exhausted(20000...20001).description == "no free port in range 20000-20001")

        var allocator = PortAllocator(used: [8080], probe: { _ in true })
        let networks = [NetworkResource(reservedPorts: [Port(label: "web", value: 8080)])]
        #expect(throws: PortAllocationError.reservedInUse(label: "web", port: 8080)) { try allocator.assign(networks) }

        var busy = PortAllocator(probe: { $0 != 8080 })
        #expect(throws: PortAllocationError.reservedBound(label: "web", port: 8080)) { try busy.assign(networks) }
        #expect(
            PortAllocationError.reservedBound(label: "web", port: 8080).description
                == "reserved port 8080 (label \"web\") is in use on this host; stop what listens there or reserve "
                + "another port")
    }

    @Test func cursorWrapsAround() throws {
        var allocator = PortAllocator(range: 20000...20002, probe: { _ in true })
        _ = try allocator.allocate()
        _ = try allocator.allocate()
        _ = try allocator.allocate()
        #expect(throws: PortAllocationError.self) { try allocator.allocate() }
    }

    @Test func defaultProbeSeesABoundPort() throws {
        let listener = try #require(LoopbackListener())
        defer { listener.close() }
        #expect(!PortAllocator.canBindTCP(listener.port))
        var allocator = PortAllocator(range: listener.port...listener.port)
        #expect(throws: PortAllocationError.self) { try allocator.allocate() }
    }
}

/// A TCP socket listening on 0.0.0.0 on a kernel-chosen port, so the probe must see it as taken.
private struct LoopbackListener {
    let fd: Int32
    let port: Int

    init?() {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && listen(socketFD, 1) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard socketFD >= 0, bound else {
            return nil
        }
        fd = socketFD
        port = Int(in_port_t(bigEndian: address.sin_port))
    }

    func close() {
        _ = Glibc.close(fd)
    }
}
