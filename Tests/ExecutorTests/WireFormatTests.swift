import Foundation
import Glibc
import JSONCore
import Testing

@testable import Executor

@Suite struct WireFormatTests {
    @Test func messagesRoundTripWithEscapes() throws {
        let message = WireMessage("err", [("code", "invalid-state"), ("msg", "a b=c%d\nü")])
        #expect(message.line == "err code=invalid-state msg=a%20b%3Dc%25d%0A%C3%BC\n")
        #expect(try WireMessage.parse(message.line.dropLast()) == message)
    }

    @Test(arguments: ["", "a=b", "status x", "stop sig=%G1", "stop =1"])
    func malformedLinesAreRefused(_ line: String) {
        #expect(throws: ExecutorError.self) { try WireMessage.parse(line) }
    }

    @Test func statusSurvivesTheWire() throws {
        let exit = ExitRecord(
            childPid: 42, exitCode: 0, signal: 9, oomKilled: true, killedByExecutor: true, startedMilliseconds: 1,
            finishedMilliseconds: 2, droppedLogBytes: 3)
        let exited = ExecutorStatus(childPid: 42, startedMilliseconds: 1, droppedLogBytes: 3, exit: exit)
        #expect(try ExecutorStatus(message: WireMessage.parse(exited.message.line.dropLast())) == exited)
        let running = ExecutorStatus(childPid: 42, startedMilliseconds: 1)
        #expect(try ExecutorStatus(message: WireMessage.parse(running.message.line.dropLast())) == running)
    }

    @Test func exitRecordJSONRoundTripsAndMatchesFoundation() throws {
        let exit = ExitRecord(
            childPid: 7, exitCode: 3, signal: 0, startedMilliseconds: 1_714_000_000_000,
            finishedMilliseconds: 1_714_000_000_500)
        #expect(try ExitRecord(json: exit.json) == exit)
        let object = try JSONSerialization.jsonObject(with: Data(exit.json.utf8)) as? [String: Any]
        #expect(object?["exit_code"] as? Int == 3)
        #expect(object?["killed_by_executor"] as? Bool == false)
    }

    @Test func stateJSONHandlesStringEscapesAndKeepsKeyOrder() throws {
        let text = "quote\" slash\\ tab\t nl\n ctl\u{1} é 😀"
        let json = StateJSON.encode([("s", .string(text)), ("n", .integer(-5)), ("z", .null)])
        #expect(json.hasPrefix(#"{"s":"quote\" slash\\ tab\t nl\n ctl\u0001 é 😀","n":-5,"z":null}"#))
        #expect(json.hasSuffix("}\n"))
        let parsed = try StateJSON.parseObject(json)
        #expect(parsed["s"] == .string(text))
        #expect(parsed["n"] == .integer(-5))
        #expect(parsed["z"] == .null)
        #expect(try StateJSON.parseObject(#"{"e":"\u00e9\ud83d\ude00"}"#)["e"] == .string("é😀"))
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(decoded?["s"] as? String == text)
    }

    @Test(arguments: [#"[1]"#, #""text""#, #"{"a":1"#, #"{"a":1} x"#, "", #"{"a" 1}"#])
    func stateJSONRefusesAnythingButAnObject(_ text: String) {
        #expect(throws: ExecutorError.self) { try StateJSON.parseObject(text) }
    }

    @Test func exitRecordRefusesANewerVersion() {
        let json = #"{"version":2,"child_pid":1,"exit_code":0,"signal":0,"started_ms":0,"finished_ms":0}"#
        #expect(throws: ExecutorError.self) { try ExitRecord(json: json) }
    }

    @Test func signalNames() {
        #expect(SignalNames.number(for: "SIGUSR1") == SIGUSR1)
        #expect(SignalNames.number(for: "term") == SIGTERM)
        #expect(SignalNames.number(for: "9") == 9)
        #expect(SignalNames.number(for: "SIGNOPE") == nil)
        #expect(SignalNames.number(for: "0") == nil)
        #expect(SignalNames.name(for: SIGINT) == "INT")
    }
}

@Suite struct ExecutorOptionsTests {
    private let valid = ["--state", "/s", "--log-dir", "/l", "--task", "web", "--", "/bin/true", "-x"]

    @Test func parsesAndPrintsTheSameCommandLine() throws {
        let options = try ExecutorOptions.parse(valid)
        #expect(options.stateDirectory == "/s")
        #expect(options.log == ExecutorLogConfig(directory: "/l", taskName: "web"))
        #expect(options.lingerSeconds == 60)
        #expect(options.arguments == ["-x"])
        #expect(options.socketPath == "/s/executor.sock")
        #expect(try ExecutorOptions.parse(options.commandLine) == options)
    }

    @Test(arguments: [
        ["--state", "/s", "--log-dir", "/l", "--task", "web"],
        ["--state", "rel", "--log-dir", "/l", "--task", "web", "--", "/bin/true"],
        ["--state", "/s", "--log-dir", "/l", "--task", "a/b", "--", "/bin/true"],
        ["--state", "/s", "--log-dir", "/l", "--task", "web", "--", "true"],
        ["--state", "/s", "--log-dir", "/l", "--task", "web", "--max-files", "0", "--", "/bin/true"],
        ["--state", "/s", "--log-dir", "/l", "--task", "web", "--max-files", "x", "--", "/bin/true"],
        ["--state", "/s", "--log-dir", "/l", "--bogus", "1", "--", "/bin/true"],
        ["--log-dir", "/l", "--task", "web", "--", "/bin/true"],
        ["--state", "/" + String(repeating: "d", count: 100), "--log-dir", "/l", "--task", "w", "--", "/bin/true"],
    ])
    func refusesBadCommandLines(_ words: [String]) {
        #expect(throws: ExecutorError.self) { try ExecutorOptions.parse(words) }
    }
}
