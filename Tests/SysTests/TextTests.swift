import Glibc
import RktSys
import Testing

@Suite struct TextTests {
    @Test(arguments: [
        ("  a b \n", "a b"), ("\t\r\nx\u{00A0}", "x"), ("", ""), ("   ", ""), ("abc", "abc"), (" é ", "é"),
    ])
    func trimmed(text: String, expected: String) {
        #expect(text.trimmed == expected)
    }

    @Test(arguments: [
        ("/tmp/a%20b", "/tmp/a b"), ("%C3%A9t%c3%a9", "été"), ("plain", "plain"), ("%25", "%"), ("", ""),
    ])
    func percentDecoded(text: String, expected: String) {
        #expect(text.percentDecoded == expected)
    }

    @Test(arguments: ["%", "%2", "%zz", "%FF"])
    func malformedPercentEscapes(text: String) {
        #expect(text.percentDecoded == nil)
    }

    @Test(arguments: [
        ("/a/b", "/a", "b"), ("/a/b/", "/a", "b"), ("/a", "/", "a"), ("/", "/", "/"), ("b", "", "b"),
        ("a/b//", "a", "b"), ("//a//b", "//a", "b"), ("", "", ""),
    ])
    func paths(path: String, directory: String, last: String) {
        #expect(PathText.directory(of: path) == directory)
        #expect(PathText.lastComponent(of: path) == last)
    }
}

@Suite struct LoggerTimestampTests {
    @Test(arguments: [
        (0, 0, "1970-01-01T00:00:00.000Z"), (1_796_409_723, 963_100_000, "2026-12-04T18:42:03.963Z"),
        (951_782_400, 999_999_999, "2000-02-29T00:00:00.999Z"),
    ])
    func rfc3339InUTC(seconds: Int, nanoseconds: Int, expected: String) {
        #expect(Logger.timestamp(timespec(tv_sec: seconds, tv_nsec: nanoseconds)) == expected)
    }

    @Test func microsecondsForTheNomadLog() {
        let time = timespec(tv_sec: 1_796_409_723, tv_nsec: 963_104_999)
        #expect(Logger.timestamp(time, fractionDigits: 6) == "2026-12-04T18:42:03.963104Z")
        #expect(Logger.timestamp(time, fractionDigits: 9) == "2026-12-04T18:42:03.963104999Z")
    }
}

@Suite struct ZeroPaddedTests {
    @Test(arguments: [(7, 3, "007"), (123, 3, "123"), (12345, 3, "12345"), (0, 2, "00"), (-5, 3, "-005")])
    func pads(value: Int, width: Int, expected: String) {
        #expect(value.zeroPadded(width) == expected)
    }
}
