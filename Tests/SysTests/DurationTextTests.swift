import RktSys
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("30m0s", Duration.seconds(1800)), ("24h0m0s", .seconds(86_400)), ("1.5s", .milliseconds(1500)),
        ("500ms", .milliseconds(500)), ("1m30s", .seconds(90)), ("0", .zero), ("0s", .zero),
    ])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == .success(expected))
    }

    @Test(arguments: [
        ("30", DurationText.Problem.malformed), ("abc", .malformed), ("", .malformed), ("s", .malformed),
        ("5 parsecs", .unknownUnit(" parsecs")), ("3d", .unknownUnit("d")),
    ])
    func rejects(text: String, problem: DurationText.Problem) {
        #expect(DurationText.parse(text) == .failure(problem))
    }
}

@Suite struct DurationUnitsTests {
    @Test(arguments: [
        (Duration.zero, Int64(0), 0.0), (.milliseconds(1500), 1500, 1.5), (.microseconds(2999), 2, 0.002999),
        (.seconds(90), 90_000, 90.0), (.milliseconds(-250), -250, -0.25),
    ])
    func converts(duration: Duration, milliseconds: Int64, seconds: Double) {
        #expect(duration.wholeMilliseconds == milliseconds)
        #expect(abs(duration.secondsValue - seconds) < 1e-12)
    }

    @Test(arguments: [
        (Duration.zero, "0.000"), (.microseconds(12_345), "12.345"), (.milliseconds(1500), "1500.000"),
        (.microseconds(7), "0.007"), (.microseconds(-2500), "-2.500"),
    ])
    func millisecondsText(duration: Duration, expected: String) {
        #expect(duration.millisecondsText == expected)
    }
}
