import Foundation
import Glibc
import RktError
import Services
import Testing

/// A registration with one http check, as tests use it.
func sampleRegistration(_ id: String = "_nomad-task-a1-web-www-http", port: Int = 8080) -> ServiceRegistration {
    ServiceRegistration(
        id: id, name: "www", tags: ["v1"], address: "10.0.0.1", port: port,
        checks: [
            CheckRegistration(id: "_nomad-check-\(id)", name: "alive", type: "http", address: "10.0.0.1", port: port)
        ],
        allocID: "a1", taskName: "web")
}

@Suite("Embedded catalog")
struct EmbeddedCatalogTests {
    @Test func registerUpdateCheckListDeregister() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = EmbeddedCatalog(path: EmbeddedCatalog.defaultPath(dataDir: directory.path))

        #expect(try catalog.list().isEmpty)
        try catalog.register(sampleRegistration())
        try catalog.updateCheck(checkID: "_nomad-check-_nomad-task-a1-web-www-http", status: .passing, output: "fine")
        let listed = try catalog.list()
        #expect(listed.count == 1)
        #expect(listed.first?.checks.first?.status == .passing)
        #expect(listed.first?.checks.first?.output == "fine")

        try catalog.deregister(serviceID: "_nomad-task-a1-web-www-http")
        #expect(try catalog.list().isEmpty)
        try catalog.deregister(serviceID: "unknown")
    }

    @Test func fileHasAVersionAndSortedKeys() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/catalog.json"
        try EmbeddedCatalog(path: path).register(sampleRegistration())

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"version\" : 1"))
        #expect(text.contains("\"interval\" : \"10s\""))
        #expect(FileManager.default.fileExists(atPath: "\(path).lock"))
        #expect(
            !(try FileManager.default.contentsOfDirectory(atPath: directory.path).contains { $0.contains(".tmp-") }))
    }

    @Test func updateKeepsStatusOfUnchangedChecksAndResetsMovedOnes() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = EmbeddedCatalog(path: "\(directory.path)/catalog.json")
        try catalog.register(sampleRegistration())
        try catalog.updateCheck(checkID: "_nomad-check-_nomad-task-a1-web-www-http", status: .passing, output: "ok")

        var same = sampleRegistration()
        same.tags = ["v2"]
        try catalog.update(same)
        #expect(try catalog.list().first?.checks.first?.status == .passing)

        try catalog.update(sampleRegistration(port: 9090))
        #expect(try catalog.list().first?.checks.first?.status == .critical)
    }

    @Test func updatingAnUnknownCheckIsNotFound() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = EmbeddedCatalog(path: "\(directory.path)/catalog.json")
        let error = #expect(throws: RktError.self) {
            try catalog.updateCheck(checkID: "nope", status: .passing, output: "")
        }
        #expect(error?.code == .notFound)
        #expect(error?.message == "check nope is not registered")
    }

    @Test func concurrentWritersLoseNothing() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/catalog.json"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                group.addTask {
                    // A catalog object per writer: separate descriptors, so flock really arbitrates.
                    try await Task.detached {
                        try EmbeddedCatalog(path: path).register(sampleRegistration("svc-\(index)"))
                    }
                    .value
                }
            }
            try await group.waitForAll()
        }
        #expect(try EmbeddedCatalog(path: path).list().map(\.id).count == 24)
    }

    @Test func corruptFileIsReportedByListAndQuarantinedByTheNextWrite() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/catalog.json"
        try "{not json".write(toFile: path, atomically: true, encoding: .utf8)
        let catalog = EmbeddedCatalog(path: path, logger: quietLogger)

        let error = #expect(throws: RktError.self) { try catalog.list() }
        #expect(error?.code == .invalidState)
        try catalog.register(sampleRegistration())
        #expect(try catalog.list().count == 1)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).contains { $0.contains(".corrupt-") })
    }

    @Test func otherFormatVersionIsRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = "\(directory.path)/catalog.json"
        try #"{"version": 2, "services": []}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: RktError.self) { try EmbeddedCatalog(path: path).list() }
        #expect(error?.message == "service catalog \(path) has format version 2; this build reads version 1")
    }
}
