import PodRuntime
import Testing

@Suite struct QuantityTests {
    @Test(arguments: [
        ("256M", Int64(256_000_000)), ("64Mi", 67_108_864), ("1048576", 1_048_576), ("1G", 1_000_000_000),
        ("1.5Gi", 1_610_612_736), ("4k", 4000), ("2Ki", 2048),
    ])
    func bytes(text: String, expected: Int64) throws {
        #expect(try Quantity.bytes(text, flag: "--memory") == expected)
    }

    @Test(arguments: [("500m", Int64(500)), ("1", 1000), ("2.5", 2500), ("200m", 200), ("1k", 1_000_000)])
    func millicores(text: String, expected: Int64) throws {
        #expect(try Quantity.millicores(text, flag: "--cpu") == expected)
    }

    @Test(arguments: ["abc", "-1", "0", "", "12Q", "M"])
    func rejectsNonsense(text: String) {
        #expect(throws: (any Error).self) { try Quantity.bytes(text, flag: "--memory") }
    }

    @Test func errorNamesTheFlagAndTheValue() {
        do {
            _ = try Quantity.bytes("lots", flag: "--memory")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "--memory: invalid quantity \"lots\" (examples: 256M, 64Mi, 500m, 1)")
        }
    }
}
