import Foundation
import Glibc
import RktSys
import Testing

extension IntegrationTests {
    /// Each bad input: a non-zero exit, one stderr line naming what is wrong, and nothing left
    /// (no pod directory, netns, veth, CNI chain, lease, runc container or mount).
    @Suite("bad input")
    struct BadInput {
        @Test("a job file that is not valid JSON")
        func invalidJSON() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let path = try sandbox.write("broken.json", "{\"Job\": {\"ID\": \"x\",\n")
            let output = try sandbox.driver(["run", path])
            expectFailure(output, namingAll: ["broken.json", "line 2"])
            sandbox.expectNothingLeft("invalid JSON")
        }

        @Test("a job file that is not UTF-8")
        func notUTF8() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let path = "\(sandbox.root)/latin1.json"
            try FileSystem.writeAtomically(Array(#"{"Job": {"ID": ""#.utf8) + [0xFF] + Array(#""}}"#.utf8), to: path)
            for command in ["validate", "run"] {
                let output = try sandbox.driver([command, path])
                expectFailure(output, namingAll: ["latin1.json", "is not UTF-8 text; save it as UTF-8 JSON"])
            }
            sandbox.expectNothingLeft("a job file that is not UTF-8")
        }

        @Test("a reserved port something on the host listens on, and one forwarded to another pod")
        func reservedPortTaken() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            defer { close(listener) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr = in_addr(s_addr: INADDR_ANY)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            #expect(listen(listener, 1) == 0)
            var bound = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
            }
            let busyPort = Int(UInt16(bigEndian: bound.sin_port))

            var job = JobFile(config: ["image": try sandbox.httpdImage(), "port_map": [["http": "http"]]])
            job.reservedPorts = ["http": busyPort]
            let output = try sandbox.driver(["run", try sandbox.write("busy.json", try job.json())])
            expectFailure(output, namingAll: ["reserved port \(busyPort)", "is in use on this host"])
            let allocs = (try? FileSystem.list("\(sandbox.driverData)/alloc")) ?? []
            #expect(allocs.isEmpty, "the failed run left allocation dirs: \(allocs)")

            job.reservedPorts = ["http": try Sockets.freePort()]
            let first = try sandbox.driver(["run", "--detach", try sandbox.write("first.json", try job.json())])
            #expect(first.status.succeeded, "\(first)")
            let second = try sandbox.driver(["run", "--detach", try sandbox.write("second.json", try job.json())])
            expectFailure(second, namingAll: ["reserved port \(job.reservedPorts["http"] ?? 0)", "already in use"])
            #expect(try sandbox.driver(["stop", "integration"]).status.succeeded)
            #expect(try sandbox.driver(["gc"]).status.succeeded)
            sandbox.expectNothingLeft("reserved ports already taken")
        }

        @Test("a task without an image")
        func missingImageField() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let path = try sandbox.write("job.json", try JobFile(config: ["command": "/bin/true"]).json())
            let output = try sandbox.driver(["run", path])
            expectFailure(output, namingAll: ["task \"app\"", "\"image\" is required"])
            sandbox.expectNothingLeft("a task without image")
        }

        @Test("an image file that does not exist")
        func imageFileMissing() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let image = "\(sandbox.root)/missing.aci"
            let path = try sandbox.write("job.json", try JobFile(config: ["image": image]).json())
            let output = try sandbox.driver(["run", path])
            expectFailure(output, namingAll: [image, "does not exist"])
            sandbox.expectNothingLeft("a missing image file")
        }

        @Test("an image whose manifest is not valid JSON")
        func malformedManifest() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let image = try sandbox.malformedManifestImage()
            let path = try sandbox.write("job.json", try JobFile(config: ["image": image]).json())
            let driven = try sandbox.driver(["run", path])
            expectFailure(driven, namingAll: ["malformed.aci", "manifest"])

            let prepared = try sandbox.rkt(["prepare", image])
            expectFailure(prepared, namingAll: ["malformed.aci", "manifest"])
            #expect(prepared.errorLines.count == 1, "\(prepared)")
            sandbox.expectNothingLeft("a malformed manifest")
        }

        @Test("an unknown network name")
        func unknownNetwork() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let image = try sandbox.shellImage()
            let direct = try sandbox.rkt(["run", "--net=no-such-net", image, "--exec=/bin/true"])
            expectFailure(direct, namingAll: ["networks not found", "no-such-net"])
            #expect(direct.errorLines.count == 1, "\(direct)")
            sandbox.expectNothingLeft("rkt run --net=no-such-net")

            let job = JobFile(config: ["image": image, "command": "/bin/true", "net": ["no-such-net"]])
            let driven = try sandbox.driver(["run", try sandbox.write("job.json", try job.json())])
            #expect(driven.code != 0, "\(driven)")
            let taskLogs = try logFiles(in: sandbox.driverData, named: "app.stderr.0").map(FileSystem.readText)
            #expect(taskLogs.contains { $0.contains("networks not found: no-such-net") }, "task stderr: \(taskLogs)")
            expectFailure(driven, namingAll: ["task failed", "networks not found", "no-such-net"])
            sandbox.expectNothingLeft("a job with net no-such-net")
        }

        @Test("a port_map value naming no port of the image")
        func unknownPortName() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let port = try Sockets.freePort()
            let job = JobFile(
                config: ["image": try sandbox.httpdImage(), "port_map": [["web": "no-such-port"]]],
                reservedPorts: ["web": port])
            let output = try sandbox.driver(["run", try sandbox.write("job.json", try job.json())])
            expectFailure(output, namingAll: ["no-such-port", "not declared"])
            sandbox.expectNothingLeft("a port_map naming no image port")
        }

        /// Files called `name` anywhere under `directory`.
        private func logFiles(in directory: String, named name: String) throws -> [String] {
            let enumerator = FileManager.default.enumerator(atPath: directory)
            var found: [String] = []
            while let path = enumerator?.nextObject() as? String {
                if (path as NSString).lastPathComponent == name {
                    found.append("\(directory)/\(path)")
                }
            }
            return found
        }
    }
}
