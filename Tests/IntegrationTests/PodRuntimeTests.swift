import Foundation
import Glibc
import RktSys
import Testing

extension IntegrationTests {
    @Suite("rkt prepare / run-prepared")
    struct PodRuntime {
        @Test("--set-env values reach the app verbatim, including ':' and spaces")
        func setEnvironment() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let value = "http://a:b@host:80/x y  z"
            let uuid = try sandbox.prepare([
                "--set-env=PLAIN=1", "--set-env=TRICKY=\(value)", try sandbox.shellImage(), "--exec=/bin/env",
            ])
            let output = try sandbox.rkt(["run-prepared", "--net=none", uuid])

            #expect(output.status == .exited(0), "\(output)")
            let lines = output.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains("PLAIN=1"), "\(output)")
            #expect(lines.contains("TRICKY=\(value)"), "\(output)")
            sandbox.expectNothingLeft(allowExitedPods: true, "the env pod")
        }

        @Test("a read-write host volume receives the app's file; a read-only one refuses writes")
        func volumes() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let writable = "\(sandbox.root)/host-rw"
            let readOnly = "\(sandbox.root)/host-ro"
            try FileSystem.makeDirectories(writable)
            try FileSystem.makeDirectories(readOnly)
            try FileSystem.writeAtomically("seed\n", to: "\(readOnly)/seed")
            let volumes = [
                "--volume=data,kind=host,source=\(writable)",
                "--volume=conf,kind=host,source=\(readOnly),readOnly=true",
                "--mount=volume=data,target=/data", "--mount=volume=conf,target=/conf",
            ]
            let image = try sandbox.shellImage()

            let write = try sandbox.prepare(
                volumes + [image, "--exec=/bin/sh", "--", "-c", "cat /conf/seed > /data/out"])
            let wrote = try sandbox.rkt(["run-prepared", "--net=none", write])
            #expect(wrote.status == .exited(0), "\(wrote)")
            #expect((try? FileSystem.readText("\(writable)/out")) == "seed\n")

            let refuse = try sandbox.prepare(volumes + [image, "--exec=/bin/sh", "--", "-c", "echo x > /conf/new"])
            let refused = try sandbox.rkt(["run-prepared", "--net=none", refuse])
            #expect(refused.status == .exited(1), "\(refused)")
            #expect(refused.stderr.contains("Read-only file system"), "\(refused)")
            #expect(!FileSystem.exists("\(readOnly)/new"))
            sandbox.expectNothingLeft(allowExitedPods: true, "the volume pods")
        }

        @Test("--memory=64M is the pod cgroup's memory.limit_in_bytes while it runs")
        func memoryLimit() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let uuid = try sandbox.prepare([try sandbox.shellImage(), "--memory=64M", "--exec=/bin/sleep", "--", "60"])
            let pod = try sandbox.start(
                Prerequisites.rkt, ["--dir=\(sandbox.rktData)", "run-prepared", "--net=none", uuid])

            let limit = try readMemoryLimit(container: "rkt-\(uuid)", while: pod)
            #expect(limit == "64000000", "memory.limit_in_bytes of rkt-\(uuid)")
            let output = try #require(pod.stop(SIGTERM), "run-prepared ignored SIGTERM")
            #expect(output.status == .exited(128 + SIGTERM), "\(output)")
            sandbox.expectNothingLeft(allowExitedPods: true, "the memory pod")
        }

        @Test("--dns and --dns-search are written to the pod's /etc/resolv.conf")
        func dnsOptions() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let uuid = try sandbox.prepare([try sandbox.shellImage(), "--exec=/bin/cat", "--", "/etc/resolv.conf"])
            let output = try sandbox.rkt([
                "run-prepared", "--net=none", "--dns=192.0.2.53", "--dns=192.0.2.54", "--dns-search=integration.test",
                uuid,
            ])

            #expect(output.status == .exited(0), "\(output)")
            let lines = output.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.filter { $0.hasPrefix("nameserver") } == ["nameserver 192.0.2.53", "nameserver 192.0.2.54"])
            #expect(lines.contains("search integration.test"), "\(output)")
            sandbox.expectNothingLeft(allowExitedPods: true, "the dns pod")
        }

        @Test("run-prepared and run return the app's exit code")
        func exitCode() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let image = try sandbox.shellImage()
            let uuid = try sandbox.prepare([image, "--exec=/bin/sh", "--", "-c", "echo leaving; exit 7"])
            let prepared = try sandbox.rkt(["run-prepared", "--net=none", uuid])
            #expect(prepared.status == .exited(7), "\(prepared)")
            #expect(prepared.stdout == "leaving\n")

            let run = try sandbox.rkt(["run", "--net=none", image, "--exec=/bin/sh", "--", "-c", "exit 42"])
            #expect(run.status == .exited(42), "\(run)")
            sandbox.expectNothingLeft(allowExitedPods: true, "the exiting pods")
        }

        @Test("a pod on --net=none has only lo")
        func noNetwork() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let uuid = try sandbox.prepare([try sandbox.shellImage(), "--exec=/bin/cat", "--", "/proc/net/dev"])
            let output = try sandbox.rkt(["run-prepared", "--net=none", uuid])

            #expect(output.status == .exited(0), "\(output)")
            let interfaces = output.stdout.split(separator: "\n").dropFirst(2).compactMap { line in
                line.split(separator: ":").first?.trimmingCharacters(in: .whitespaces)
            }
            #expect(interfaces == ["lo"], "\(output)")
            sandbox.expectNothingLeft(allowExitedPods: true, "the net=none pod")
        }

        /// Finds the running container's memory cgroup (through /proc/PID/cgroup, since runc nests a
        /// relative cgroupsPath under its caller's cgroup) and reads its limit.
        private func readMemoryLimit(container: String, while pod: BackgroundTool) throws -> String {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if pod.poll() != nil {
                    throw TestFailure("run-prepared exited early: \(pod.output.map(\.description) ?? "")")
                }
                let state = HostTool.output("runc", "--root", HostState.runcRoot, "state", container)
                if let object = try? JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any],
                    object["status"] as? String == "running", let pid = object["pid"] as? Int, pid > 0
                {
                    let cgroups = try FileSystem.readText("/proc/\(pid)/cgroup")
                    let memory = cgroups.split(separator: "\n").first { $0.contains(":memory:") }
                    let path = try #require(memory?.split(separator: ":", maxSplits: 2).last, "\(cgroups)")
                    let limit = try FileSystem.readText("/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes")
                    return limit.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                usleep(50_000)
            }
            throw TestFailure("\(container) was not running within 30 s")
        }
    }
}
