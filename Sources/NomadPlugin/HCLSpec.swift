import Protobuf

/// A config schema in Nomad's `hclspec` protobuf shape (reference §4): Nomad turns it into an HCL decoder
/// spec and decodes the user's `config {}` block with it.
public indirect enum HCLSpec: Equatable, Sendable {
    /// Attributes in the order given (the wire order of the map entries).
    case object([(String, HCLSpec)])
    case array([HCLSpec])
    case attr(name: String, type: String, required: Bool)
    case block(name: String, required: Bool, nested: HCLSpec)
    case blockAttrs(name: String, type: String, required: Bool)
    case blockList(name: String, minItems: UInt64, maxItems: UInt64, nested: HCLSpec)
    case blockSet(name: String, minItems: UInt64, maxItems: UInt64, nested: HCLSpec)
    case blockMap(name: String, labels: [String], nested: HCLSpec)
    case defaulted(primary: HCLSpec, default: HCLSpec)
    /// An HCL expression, e.g. `true`, `"none"` (quotes included) or `["a"]`.
    case literal(String)

    public static func == (lhs: HCLSpec, rhs: HCLSpec) -> Bool { lhs.serialized() == rhs.serialized() }

    /// An optional attribute named after its key.
    static func optional(_ name: String, _ type: String) -> (String, HCLSpec) {
        (name, .attr(name: name, type: type, required: false))
    }

    /// An attribute with a default value (an HCL literal).
    static func withDefault(_ name: String, _ type: String, _ value: String) -> (String, HCLSpec) {
        (name, .defaulted(primary: .attr(name: name, type: type, required: false), default: .literal(value)))
    }
}

extension HCLSpec: ProtobufMessage {
    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        self = .object([])
        while let field = try reader.nextField() {
            var nested = try reader.readMessageReader()
            switch field {
            case 1: self = .object(try Self.readObject(&nested))
            case 2: self = .array(try Self.readArray(&nested))
            case 3: self = try Self.readAttr(&nested, blockAttrs: false)
            case 4: self = try Self.readBlock(&nested)
            case 5: self = try Self.readAttr(&nested, blockAttrs: true)
            case 6, 7: self = try Self.readBlockList(&nested, set: field == 7)
            case 8: self = try Self.readBlockMap(&nested)
            case 9: self = try Self.readDefault(&nested)
            case 10: self = .literal(try Self.readLiteral(&nested))
            default: continue
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        switch self {
        case .object(let attributes):
            writer.writeMessage(1) { object in
                for (key, spec) in attributes {
                    object.writeMapEntry(1, key: key) { $0.write(2, message: spec) }
                }
            }
        case .array(let values):
            writer.writeMessage(2) { array in
                for value in values { array.write(1, message: value) }
            }
        case .attr(let name, let type, let required), .blockAttrs(let name, let type, let required):
            let field = if case .attr = self { 3 } else { 5 }
            writer.writeMessage(field) {
                $0.write(1, stringIfSet: name)
                $0.write(2, stringIfSet: type)
                $0.write(3, boolIfSet: required)
            }
        case .block(let name, let required, let nested):
            writer.writeMessage(4) {
                $0.write(1, stringIfSet: name)
                $0.write(2, boolIfSet: required)
                $0.write(3, message: nested)
            }
        case .blockList(let name, let min, let max, let nested), .blockSet(let name, let min, let max, let nested):
            let field = if case .blockList = self { 6 } else { 7 }
            writer.writeMessage(field) {
                $0.write(1, stringIfSet: name)
                $0.write(2, uint64IfSet: min)
                $0.write(3, uint64IfSet: max)
                $0.write(4, message: nested)
            }
        case .blockMap(let name, let labels, let nested):
            writer.writeMessage(8) {
                $0.write(1, stringIfSet: name)
                for label in labels { $0.write(2, string: label) }
                $0.write(3, message: nested)
            }
        case .defaulted(let primary, let value):
            writer.writeMessage(9) {
                $0.write(1, message: primary)
                $0.write(2, message: value)
            }
        case .literal(let value):
            writer.writeMessage(10) { $0.write(1, stringIfSet: value) }
        }
    }

    private static func readObject(_ reader: inout ProtobufReader) throws(ProtobufError) -> [(String, HCLSpec)] {
        var attributes: [(String, HCLSpec)] = []
        while let field = try reader.nextField() {
            guard field == 1 else {
                try reader.skip()
                continue
            }
            attributes.append(
                try reader.readMapEntry(defaultValue: HCLSpec.object([])) { (entry) throws(ProtobufError) in
                    try entry.readMessage()
                })
        }
        return attributes
    }

    private static func readArray(_ reader: inout ProtobufReader) throws(ProtobufError) -> [HCLSpec] {
        var values: [HCLSpec] = []
        while let field = try reader.nextField() {
            if field == 1 { values.append(try reader.readMessage()) } else { try reader.skip() }
        }
        return values
    }

    private static func readAttr(_ reader: inout ProtobufReader, blockAttrs: Bool) throws(ProtobufError) -> HCLSpec {
        var (name, type, required) = ("", "", false)
        while let field = try reader.nextField() {
            switch field {
            case 1: name = try reader.readString()
            case 2: type = try reader.readString()
            case 3: required = try reader.readBool()
            default: try reader.skip()
            }
        }
        return blockAttrs
            ? .blockAttrs(name: name, type: type, required: required)
            : .attr(name: name, type: type, required: required)
    }

    private static func readBlock(_ reader: inout ProtobufReader) throws(ProtobufError) -> HCLSpec {
        var (name, required, nested) = ("", false, HCLSpec.object([]))
        while let field = try reader.nextField() {
            switch field {
            case 1: name = try reader.readString()
            case 2: required = try reader.readBool()
            case 3: nested = try reader.readMessage()
            default: try reader.skip()
            }
        }
        return .block(name: name, required: required, nested: nested)
    }

    private static func readBlockList(_ reader: inout ProtobufReader, set: Bool) throws(ProtobufError) -> HCLSpec {
        var (name, min, max, nested) = ("", UInt64(0), UInt64(0), HCLSpec.object([]))
        while let field = try reader.nextField() {
            switch field {
            case 1: name = try reader.readString()
            case 2: min = try reader.readUInt64()
            case 3: max = try reader.readUInt64()
            case 4: nested = try reader.readMessage()
            default: try reader.skip()
            }
        }
        return set
            ? .blockSet(name: name, minItems: min, maxItems: max, nested: nested)
            : .blockList(name: name, minItems: min, maxItems: max, nested: nested)
    }

    private static func readBlockMap(_ reader: inout ProtobufReader) throws(ProtobufError) -> HCLSpec {
        var (name, labels, nested) = ("", [String](), HCLSpec.object([]))
        while let field = try reader.nextField() {
            switch field {
            case 1: name = try reader.readString()
            case 2: labels.append(try reader.readString())
            case 3: nested = try reader.readMessage()
            default: try reader.skip()
            }
        }
        return .blockMap(name: name, labels: labels, nested: nested)
    }

    private static func readDefault(_ reader: inout ProtobufReader) throws(ProtobufError) -> HCLSpec {
        var (primary, value) = (HCLSpec.object([]), HCLSpec.object([]))
        while let field = try reader.nextField() {
            switch field {
            case 1: primary = try reader.readMessage()
            case 2: value = try reader.readMessage()
            default: try reader.skip()
            }
        }
        return .defaulted(primary: primary, default: value)
    }

    private static func readLiteral(_ reader: inout ProtobufReader) throws(ProtobufError) -> String {
        var value = ""
        while let field = try reader.nextField() {
            if field == 1 { value = try reader.readString() } else { try reader.skip() }
        }
        return value
    }
}
