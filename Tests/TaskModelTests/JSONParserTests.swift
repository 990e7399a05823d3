import JSONCore
import Testing

@testable import TaskModel

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        (" false ", .bool(false)),
        ("5000000000", .integer(5_000_000_000)),
        ("-1", .integer(-1)),
        ("1.5", .double(1.5)),
        ("1e3", .double(1000)),
        (#""a\"b\\c\n\u00e9\ud83d\ude00""#, .string("a\"b\\c\n\u{e9}\u{1F600}")),
        ("[1, \"x\", []]", .array([.integer(1), .string("x"), .array([])])),
        (#"{"b": {}, "a": [null]}"#, .object(["a": .array([.null]), "b": .object([:])])),
        (#"{"k": 1, "k": 2}"#, .object(["k": .integer(2)])),
    ])
    func parsesValues(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test(arguments: [
        ("{\n  \"a\": 1,\n  \"b\" 2\n}", "line 3, column 7: expected ':' after object key"),
        ("[1, 2", "line 1, column 6: expected ',' or ']' in array"),
        ("{\"a\": tru}", "line 1, column 7: invalid literal, expected 'true'"),
        ("01", "line 1, column 2: unexpected content after the JSON value"),
        ("\"abc", "line 1, column 5: unterminated string"),
        ("", "line 1, column 1: unexpected end of input"),
        ("[1,]", "line 1, column 4: unexpected character ']'"),
        ("-", "line 1, column 2: invalid number: expected a digit"),
    ])
    func reportsPositions(text: String, expected: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        do {
            _ = try JSONValue.parse(text)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func compactJSONSortsKeys() throws {
        let value = try JSONValue.parse(#"{"z": 1, "a": ["x", true, 2.5]}"#)
        #expect(value.compactJSON == #"{"a":["x",true,2.5],"z":1}"#)
    }
}
