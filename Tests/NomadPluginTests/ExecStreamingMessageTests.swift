import Protobuf
import Testing
import WireTestSupport

@testable import NomadPlugin

/// ExecTaskStreaming messages against the sequence the reference captured for `nomad alloc exec … /bin/true`.
struct ExecStreamingMessageTests {
    @Test func setupAndStdinCloseDecode() throws {
        let setup = try ExecStreamingRequest(
            serialized: hex(
                "0a3c0a2f" + hexUTF8(MessageCaptureTests.taskID) + "1209"
                    + hexUTF8("/bin/true")))
        #expect(
            setup.setup
                == ExecStreamingRequest.Setup(taskID: MessageCaptureTests.taskID, command: ["/bin/true"], tty: false))
        #expect(setup.stdin == nil && setup.ttySize == nil)

        let close = try ExecStreamingRequest(serialized: hex("1a021001"))
        #expect(close.stdin == ExecIOOperation(close: true))
        #expect(close.setup == nil)

        let heartbeat = try ExecStreamingRequest(serialized: [])
        #expect(heartbeat == ExecStreamingRequest())
    }

    @Test func resizeRoundTrips() throws {
        let resize = ExecStreamingRequest(ttySize: .init(height: 24, width: 80))
        #expect(hexString(resize.serialized()) == "12040818" + "1050")
        #expect(try ExecStreamingRequest(serialized: resize.serialized()) == resize)
    }

    @Test func responsesMatchTheCapture() throws {
        #expect(hexString(ExecStreamingResponse(stderr: ExecIOOperation(close: true)).serialized()) == "12021001")
        let output = ExecStreamingResponse(stdout: ExecIOOperation(data: Array("exec-out\n".utf8)))
        #expect(hexString(output.serialized()) == "0a0b0a09" + hexUTF8("exec-out\n"))
        #expect(hexString(ExecStreamingResponse(stdout: ExecIOOperation(close: true)).serialized()) == "0a021001")
        let exit = ExecStreamingResponse.exit(ExitResultMessage(exitCode: 3))
        #expect(hexString(exit.serialized()) == "180122020803")
        #expect(try ExecStreamingResponse(serialized: exit.serialized()) == exit)
    }
}
