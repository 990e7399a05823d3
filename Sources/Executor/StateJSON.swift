import JSONCore

/// The executor's state files (`executor.json`, `exit.json`): one flat JSON object on one line,
/// keys in the writer's order so the files read well and diff cleanly (STYLE §5.11), read back
/// with the shared parser.
enum StateJSON {
    /// `members` as one compact object, with a final newline.
    static func encode(_ members: [(String, JSONValue)]) -> String {
        JSONValue.compactObject(members) + "\n"
    }

    /// The members of the JSON object `text` holds; anything else is a protocol error.
    static func parseObject(_ text: String) throws(ExecutorError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw ExecutorError(.protocolError, "malformed JSON: \(error)")
        }
        guard let members = value.objectValue else {
            throw ExecutorError(.protocolError, "expected a JSON object, got \(value.compactJSON)")
        }
        return members
    }
}
