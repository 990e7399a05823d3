import GRPC
import Protobuf
import Testing
import WireTestSupport

@testable import NomadPlugin

/// Messages against the bytes the reference captured between Nomad 1.0.18 and a Go driver plugin.
struct MessageCaptureTests {
    static let taskID = "f85f662d-13e0-8028-d721-c12960d25872/t/425382d8"

    @Test func pluginInfoMatchesTheGoPlugin() throws {
        let message = PluginInfoResponse(pluginAPIVersions: ["v0.1.0"], pluginVersion: "0.1.0", name: "mockext")
        #expect(hexString(message.serialized()) == "0802120676302e312e301a05302e312e3022076d6f636b657874")
        #expect(try PluginInfoResponse(serialized: message.serialized()) == message)
    }

    @Test func setConfigRequestCarriesThePortRangeAndVersion() throws {
        let captured = hex(
            "0a4883ac66735f69736f6c6174696f6ea46e6f6e65b773687574646f776e5f706572696f6469635f6166746572c2ba7368"
                + "7574646f776e5f706572696f6469635f6475726174696f6ec012080a0608b07110b06d1a0676302e312e30")
        let request = try SetConfigRequest(serialized: captured)
        #expect(request.hasNomadConfig)
        #expect(request.clientPortRange == 14000...14512)
        #expect(request.pluginAPIVersion == "v0.1.0")
        #expect(request.msgpackConfig.count == 0x48)
        #expect(request.serialized() == captured)
        // The mock's keys are not ours: unknown keys are ignored, and nothing is set.
        #expect(try PluginConfig.decode(request.msgpackConfig) == PluginConfig())
    }

    @Test func capabilitiesAndFingerprintMatchTheMock() {
        let capabilities = CapabilitiesResponse(sendSignals: true, exec: true, fsIsolation: 0, mountConfigs: 0)
        #expect(hexString(capabilities.serialized()) == "0a0408011001")
        let fingerprint = FingerprintResponse(
            attributes: ["driver.mock": .bool(true)], health: .healthy, healthDescription: "Healthy")
        #expect(
            hexString(fingerprint.serialized())
                == "0a110a0b6472697665722e6d6f636b1202200110021a07" + hexUTF8("Healthy"))
    }

    @Test func fingerprintAttributesKeepTheirTypes() throws {
        let message = FingerprintResponse(
            attributes: [
                "driver.rkt": .bool(true), "driver.rkt.version": .string("1.30.0"), "n": .int(-3), "f": .float(1.5),
            ], health: .undetected, healthDescription: "Driver must run as root")
        #expect(try FingerprintResponse(serialized: message.serialized()) == message)
    }

    @Test func networkOverrideMatchesTheCapture() throws {
        let message = NetworkOverrideMessage(portMap: ["http": 8080], addr: "10.1.2.3", autoAdvertise: true)
        #expect(hexString(message.serialized()) == "0a090a0468747470109" + "03f120831302e312e322e331801")
        #expect(try NetworkOverrideMessage(serialized: message.serialized()) == message)
    }

    @Test func exitResultsAreAlwaysPresentAndNegativeCodesTakeTenOctets() throws {
        #expect(hexString(WaitTaskResponse(result: ExitResultMessage()).serialized()) == "0a00")
        let negative = ExitResultMessage(exitCode: -1, signal: 9)
        #expect(hexString(negative.serialized()) == "08ffffffffffffffffff011009")
        #expect(try ExitResultMessage(serialized: negative.serialized()) == negative)
        #expect(hexString(ExecTaskResponse(stdout: [], result: ExitResultMessage()).serialized()) == "1a00")
    }

    @Test func taskRequestsDecodeEachShape() throws {
        let id = hexUTF8(Self.taskID)
        let stats = try TaskRequest.decode(hex("0a2f" + id + "12020801"), shape: .stats)
        #expect(stats.taskID == Self.taskID && stats.duration?.duration == .seconds(1))
        let signal = try TaskRequest.decode(hex("0a2f" + id + "1206534947485550"), shape: .signal)
        #expect(signal.strings == ["SIGHUP"])
        let stop = try TaskRequest.decode(
            hex("0a2f" + id + "120208051a07" + hexUTF8("SIGTERM")), shape: .stop)
        #expect(stop.duration?.duration == .seconds(5) && stop.stopSignal == "SIGTERM")
        let destroy = try TaskRequest.decode(hex("0a2f" + id + "1001"), shape: .destroy)
        #expect(destroy.force)
        let exec = try TaskRequest.decode(
            hex(
                "0a2f" + id + "1207" + hexUTF8("/bin/sh") + "1202" + hexUTF8("-c")
                    + "1a02081e"), shape: .exec)
        #expect(exec.strings == ["/bin/sh", "-c"] && exec.duration?.duration == .seconds(30))
    }

    @Test func taskStatsMatchTheCaptureShape() throws {
        let captured = hex(
            "0a2d120c08a8aecbd80610e4c0da9a031a1d0a0c31000000000000f83f3a0105120d08efccb2bcf5bdf5fb3d320100")
        let stats = try TaskStatsResponse(serialized: captured)
        #expect(stats.cpuPercent == 1.5 && stats.cpuMeasured == [5] && stats.memoryMeasured == [0])
        #expect(stats.memory[1] == 4_465_272_779_503_871_599)
        #expect(stats.serialized() == captured)
        // Without a sample the required sub-messages are still there.
        let empty = RktDriverPlugin.statsMessage("x", nil)
        #expect(try TaskStatsResponse(serialized: empty.serialized()).timestamp.seconds > 0)
    }

    @Test func recoverableErrorDetailsMatchGo() {
        let status = RecoverableStatus.make("boom")
        #expect(status.code == .failedPrecondition)
        #expect(
            status.trailers.first?.1
                == "CAkSBGJvb20aUQpLdHlwZS5nb29nbGVhcGlzLmNvbS9oYXNoaWNvcnAubm9tYWQucGx1Z2lucy5zaGFyZWQuc3RydWN0cy5SZWNvdmVyYWJsZUVycm9yEgIIAQ"
        )
    }

    @Test func inspectResponseAlwaysHasBothTimestamps() throws {
        var response = InspectTaskResponse(id: Self.taskID, name: "t")
        response.startedAt = SecondsAndNanos(seconds: 1_700_000_000, nanos: 5)
        let decoded = try InspectTaskResponse(serialized: response.serialized())
        #expect(decoded.completedAt == .goZeroTime && decoded.startedAt.nanos == 5 && decoded.id == Self.taskID)
    }

    @Test func handlesEchoTheConfigBytes() throws {
        var config = TaskConfigMessage(id: Self.taskID, name: "t")
        config.allocDir = "/data/alloc/a1"
        config.env = ["A": "1"]
        let bytes = config.serialized()
        let handle = TaskHandleMessage(config: bytes, state: 1, driverState: Array("{}".utf8))
        let decoded = try TaskHandleMessage(serialized: handle.serialized())
        #expect(decoded == handle)
        let echoed = try TaskConfigMessage.decodeKeepingRaw(decoded.config)
        #expect(echoed.id == Self.taskID && echoed.env == ["A": "1"] && echoed.raw == bytes)
    }
}
