import FoundationEssentials

/// Turns Foundation's DecodingError into one operator-readable line: the field path and what
/// was wrong, without Foundation's debug wording.
public func describeDecodingError(_ error: any Error) -> String {
    guard let decoding = error as? DecodingError else {
        return "\(error)"
    }
    func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "the document" : "field \(text.hasPrefix(".") ? String(text.dropFirst()) : text)"
    }
    switch decoding {
    case .dataCorrupted(let context):
        // JSON.decode puts the syntax error's position ("line 2, column 7: ...") in the description.
        let position = context.debugDescription.hasPrefix("line ") ? " (\(context.debugDescription))" : ""
        return context.codingPath.isEmpty
            ? "not valid JSON\(position)"
            : "\(path(context.codingPath)): \(context.debugDescription)"
    case .keyNotFound(let key, let context):
        return "\(path(context.codingPath + [key])) is required"
    case .typeMismatch(let type, let context):
        return "\(path(context.codingPath)) should be of type \(type)"
    case .valueNotFound(let type, let context):
        return "\(path(context.codingPath)) is null; expected \(type)"
    @unknown default:
        return "\(error)"
    }
}
