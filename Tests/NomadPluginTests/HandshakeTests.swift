import Testing

@testable import NomadPlugin

struct HandshakeTests {
    @Test func lineHasTheSixFieldsNomadParses() {
        #expect(PluginHandshake.line(socketPath: "/tmp/plugin123") == "1|2|unix|/tmp/plugin123|grpc|\n")
    }

    @Test func cookieDecidesTheLaunchMode() {
        #expect(PluginHandshake.launch([:]) == .commandLine)
        #expect(PluginHandshake.launch([PluginHandshake.cookieKey: PluginHandshake.cookieValue]) == .host)
        guard case .wrongCookie(let text) = PluginHandshake.launch([PluginHandshake.cookieKey: "nope"]) else {
            Issue.record("a wrong cookie must be refused")
            return
        }
        #expect(text.contains(PluginHandshake.cookieKey))
    }

    @Test func protocolVersionsAreChecked() {
        #expect(PluginHandshake.versionProblem([:]) == nil)
        #expect(PluginHandshake.versionProblem(["PLUGIN_PROTOCOL_VERSIONS": "2"]) == nil)
        #expect(PluginHandshake.versionProblem(["PLUGIN_PROTOCOL_VERSIONS": "1, 2"]) == nil)
        #expect(PluginHandshake.versionProblem(["PLUGIN_PROTOCOL_VERSIONS": "3"]) != nil)
    }

    @Test func socketGoesToTheHostsDirectory() {
        #expect(PluginHandshake.socketPath(["PLUGIN_UNIX_SOCKET_DIR": "/run/x/"]).hasPrefix("/run/x/plugin"))
        #expect(PluginHandshake.socketPath(["TMPDIR": "/var/tmp"]).hasPrefix("/var/tmp/plugin"))
        #expect(PluginHandshake.socketPath([:]).hasPrefix("/tmp/plugin"))
    }
}
