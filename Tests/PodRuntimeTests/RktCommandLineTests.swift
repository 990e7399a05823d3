import PodRuntime
import Testing

@testable import RktCLI

@Suite struct RktCommandLineTests {
    static func parse(_ words: [String], run: Bool = false) throws -> (
        PrepareRequest, RunOptions, String?, GlobalOptions
    ) {
        let runOnly: [String: FlagReader.Kind] =
            run ? RktCommandLine.runFlags.merging(["uuid-file-save": .value]) { a, _ in a } : [:]
        let kinds = RktCommandLine.podFlags.merging(RktCommandLine.appFlags) { a, _ in a }
            .merging(runOnly) { a, _ in a }.merging(GlobalOptions.kinds) { a, _ in a }
        var invocation = RktCommandLine.Invocation(globals: GlobalOptions(), reader: FlagReader(words, kinds: kinds))
        let (request, options, uuidFile) = try RktCommandLine.parsePodRequest(&invocation, allowRunFlags: run)
        return (request, options, uuidFile, invocation.globals)
    }

    @Test func theDriversPrepareLineParses() throws {
        let (request, _, _, globals) = try Self.parse([
            "--insecure-options=all", "--debug=false", "--no-overlay=true",
            "--volume=a-t-alloc,kind=host,source=/alloc", "--mount=volume=a-t-alloc,target=/alloc",
            "--set-env=NOMAD_ADDR_http=10.0.0.1:8080", "/images/hello.aci", "--exec=/bin/sh", "--memory=64M",
            "--cpu=200m", "--port=http:8080", "--user=nobody", "--group=nogroup", "--", "-c", "echo hi",
        ])
        #expect(request.image == "/images/hello.aci")
        #expect(request.noOverlay)
        #expect(request.volumes.map(\.name) == ["a-t-alloc"])
        #expect(request.mounts == [.init(volume: "a-t-alloc", path: "/alloc")])
        #expect(request.environment.map { "\($0.name)=\($0.value)" } == ["NOMAD_ADDR_http=10.0.0.1:8080"])
        #expect(request.exec == "/bin/sh")
        #expect(request.args == ["-c", "echo hi"])
        #expect(request.memory == "64M")
        #expect(request.cpu == "200m")
        #expect(request.ports == [.init(name: "http", hostPort: 8080)])
        #expect(request.user == "nobody")
        #expect(request.group == "nogroup")
        #expect(request.insecure.image && request.insecure.capabilities)
        #expect(globals.insecure == "all")
        #expect(!globals.debug)
    }

    @Test func runTakesNetworkFlagsAndUUIDFile() throws {
        let (request, options, uuidFile, _) = try Self.parse(
            [
                "--net=default", "--dns=8.8.8.8", "--dns-search=example.com", "--uuid-file-save=/tmp/u", "img.aci",
                "--", "a", "---",
            ],
            run: true)
        #expect(request.args == ["a"])
        #expect(options.net == ["default"])
        #expect(options.dns == ["8.8.8.8"])
        #expect(options.dnsSearch == ["example.com"])
        #expect(uuidFile == "/tmp/u")
    }

    @Test(arguments: [
        (["--exec=/bin/sh", "img.aci"], "--exec must follow an image"),
        (["--", "a"], "-- must follow an image"),
        (["a.aci", "b.aci"], "\"b.aci\": only one image per pod is supported by this runtime"),
        ([], "no image given: rkt prepare [FLAGS] IMAGE [-- ARGS]"),
        (["--net=host", "a.aci"], "unknown flag: --net"),
        (["--set-env=A=1", "--set-env=A=2", "a.aci"], "--set-env: A is set twice"),
    ])
    func usageErrors(words: [String], message: String) {
        do {
            _ = try Self.parse(words)
            Issue.record("expected an error for \(words)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func versionTextHasTheLinesNomadParses() {
        let lines = RktCommandLine.versionText.split(separator: "\n")
        #expect(lines.first == "rkt Version: 1.30.0")
        #expect(lines.dropFirst().first == "appc Version: 0.8.11")
    }
}
