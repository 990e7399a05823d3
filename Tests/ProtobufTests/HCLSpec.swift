import Protobuf

/// A test model of Nomad's hclspec.Spec (`hashicorp.nomad.plugins.shared.hclspec`), written with the
/// reader/writer API. Object entries keep their wire order so re-encoding reproduces Go's bytes.
indirect enum Spec: Equatable, ProtobufMessage {
    case object([(String, Spec)])
    case array([Spec])
    case attr(name: String, type: String, required: Bool)
    case block(name: String, required: Bool, nested: Spec?)
    case blockAttrs(name: String, type: String, required: Bool)
    case blockList(name: String, min: UInt64, max: UInt64, nested: Spec?)
    case defaultValue(primary: Spec, fallback: Spec)
    case literal(String)
    case empty

    static func == (lhs: Spec, rhs: Spec) -> Bool { lhs.serialized() == rhs.serialized() }

    init(from reader: inout ProtobufReader) throws(ProtobufError) {
        self = .empty
        while let field = try reader.nextField() {
            var nested = try reader.readMessageReader()
            switch field {
            case 1: self = .object(try Self.readObject(&nested))
            case 2:
                var values: [Spec] = []
                while try nested.nextField() != nil { values.append(try nested.readMessage()) }
                self = .array(values)
            case 3, 5:
                let (name, type, required) = try Self.readAttr(&nested)
                self =
                    field == 3
                    ? .attr(name: name, type: type, required: required)
                    : .blockAttrs(name: name, type: type, required: required)
            case 4: self = try Self.readBlock(&nested)
            case 6: self = try Self.readBlockList(&nested)
            case 9:
                var primary = Spec.empty
                var fallback = Spec.empty
                while let number = try nested.nextField() {
                    if number == 1 {
                        primary = try nested.readMessage()
                    } else if number == 2 {
                        fallback = try nested.readMessage()
                    } else {
                        try nested.skip()
                    }
                }
                self = .defaultValue(primary: primary, fallback: fallback)
            case 10:
                var value = ""
                while let number = try nested.nextField() {
                    if number == 1 { value = try nested.readString() } else { try nested.skip() }
                }
                self = .literal(value)
            default: continue
            }
        }
    }

    private static func readObject(_ reader: inout ProtobufReader) throws(ProtobufError) -> [(String, Spec)] {
        var entries: [(String, Spec)] = []
        while let number = try reader.nextField() {
            guard number == 1 else {
                try reader.skip()
                continue
            }
            entries.append(
                try reader.readMapEntry(defaultValue: Spec.empty) { (entry) throws(ProtobufError) in
                    try entry.readMessage()
                })
        }
        return entries
    }

    private static func readAttr(_ reader: inout ProtobufReader) throws(ProtobufError) -> (String, String, Bool) {
        var (name, type, required) = ("", "", false)
        while let number = try reader.nextField() {
            switch number {
            case 1: name = try reader.readString()
            case 2: type = try reader.readString()
            case 3: required = try reader.readBool()
            default: try reader.skip()
            }
        }
        return (name, type, required)
    }

    private static func readBlock(_ reader: inout ProtobufReader) throws(ProtobufError) -> Spec {
        var (name, required, nested) = ("", false, Spec?.none)
        while let number = try reader.nextField() {
            switch number {
            case 1: name = try reader.readString()
            case 2: required = try reader.readBool()
            case 3: nested = try reader.readMessage()
            default: try reader.skip()
            }
        }
        return .block(name: name, required: required, nested: nested)
    }

    private static func readBlockList(_ reader: inout ProtobufReader) throws(ProtobufError) -> Spec {
        var (name, min, max, nested) = ("", UInt64(0), UInt64(0), Spec?.none)
        while let number = try reader.nextField() {
            switch number {
            case 1: name = try reader.readString()
            case 2: min = try reader.readUInt64()
            case 3: max = try reader.readUInt64()
            case 4: nested = try reader.readMessage()
            default: try reader.skip()
            }
        }
        return .blockList(name: name, min: min, max: max, nested: nested)
    }

    func encode(to writer: inout ProtobufWriter) {
        switch self {
        case .object(let entries):
            writer.writeMessage(1) { object in
                for (key, value) in entries { object.writeMapEntry(1, key: key) { $0.write(2, message: value) } }
            }
        case .array(let values):
            writer.writeMessage(2) { array in
                for value in values { array.write(1, message: value) }
            }
        case .attr(let name, let type, let required), .blockAttrs(let name, let type, let required):
            writer.writeMessage(isAttr ? 3 : 5) {
                $0.write(1, stringIfSet: name)
                $0.write(2, stringIfSet: type)
                $0.write(3, boolIfSet: required)
            }
        case .block(let name, let required, let nested):
            writer.writeMessage(4) {
                $0.write(1, stringIfSet: name)
                $0.write(2, boolIfSet: required)
                if let nested { $0.write(3, message: nested) }
            }
        case .blockList(let name, let min, let max, let nested):
            writer.writeMessage(6) {
                $0.write(1, stringIfSet: name)
                $0.write(2, uint64IfSet: min)
                $0.write(3, uint64IfSet: max)
                if let nested { $0.write(4, message: nested) }
            }
        case .defaultValue(let primary, let fallback):
            writer.writeMessage(9) {
                $0.write(1, message: primary)
                $0.write(2, message: fallback)
            }
        case .literal(let value): writer.writeMessage(10) { $0.write(1, stringIfSet: value) }
        case .empty: return
        }
    }

    private var isAttr: Bool {
        if case .attr = self { return true }
        return false
    }
}
