import JSONCore
import RktError
import TaskModel

/// A port an appc image declares (`app.ports[]`).
public struct AppcPort: Equatable, Sendable {
    public var name: String
    public var port: Int
    public var protocolName: String

    public init(name: String, port: Int, protocolName: String = "tcp") {
        self.name = name
        self.port = port
        self.protocolName = protocolName
    }
}

/// Port information from appc manifests: the pod manifest (`rkt cat-manifest`) for the
/// DriverNetwork, and an image manifest (`rkt image cat-manifest`) to resolve numeric port_map values.
public enum AppcManifest {
    /// Label → container port for each port_map entry whose name the pod's only app declares.
    /// Labels without a matching port are left out.
    public static func podPortMap(manifestJSON: String, portMap: [String: String]) throws(RktError) -> [String: Int] {
        let manifest = try parseObject(manifestJSON, what: "pod manifest")
        let apps = manifest["apps"]?.arrayValue ?? []
        guard !apps.isEmpty else {
            throw RktError(.invalidArgument, "manifest has no apps")
        }
        guard apps.count == 1 else {
            throw RktError(.invalidArgument, "manifest has multiple apps!")
        }
        guard let app = apps[0].objectValue?["app"]?.objectValue else {
            throw RktError(.invalidArgument, "specified app has no App object")
        }
        let ports = parsePorts(app)
        var result: [String: Int] = [:]
        for (label, name) in portMap {
            if let match = ports.first(where: { $0.name == name }) {
                result[label] = match.port
            }
        }
        return result
    }

    /// The ports an image manifest's app declares (none when it has no app).
    public static func imagePorts(manifestJSON: String) throws(RktError) -> [AppcPort] {
        let manifest = try parseObject(manifestJSON, what: "image manifest")
        return manifest["app"]?.objectValue.map(parsePorts) ?? []
    }

    /// Resolves a port_map value. A name is returned as is. A bare number is accepted when the
    /// image declares exactly one port with that number, and becomes that port's name; otherwise
    /// it fails, listing the image's port names.
    public static func resolvePortName(_ value: String, imagePorts: [AppcPort]) throws(RktError) -> String {
        guard let number = Int(value), value.allSatisfy(\.isASCII) else {
            return value
        }
        let matches = imagePorts.filter { $0.port == number }
        if matches.count == 1 {
            return matches[0].name
        }
        let names = imagePorts.map { "\"\($0.name)\"" }.joined(separator: " ")
        let reason =
            matches.isEmpty
            ? "the image declares no port \(number)" : "the image declares port \(number) more than once"
        throw RktError(
            .invalidArgument,
            "port_map value \"\(value)\" is not a port name and \(reason); image port names: [\(names)]")
    }

    /// The config with every port_map value resolved against the image's ports.
    public static func resolvePortMap(_ config: RktTaskConfig, imagePorts: [AppcPort]) throws(RktError) -> RktTaskConfig
    {
        var resolved = config
        for (label, value) in config.portMap {
            resolved.portMap[label] = try resolvePortName(value, imagePorts: imagePorts)
        }
        return resolved
    }

    static func parseObject(_ text: String, what: String) throws(RktError) -> [String: JSONValue] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw RktError(.invalidArgument, "could not parse \(what): \(error)")
        }
        guard let object = document.objectValue else {
            throw RktError(.invalidArgument, "could not parse \(what): not a JSON object")
        }
        return object
    }

    static func parsePorts(_ app: [String: JSONValue]) -> [AppcPort] {
        (app["ports"]?.arrayValue ?? []).compactMap { entry in
            guard let port = entry.objectValue, let name = port["name"]?.stringValue,
                let number = port["port"]?.int64Value.flatMap({ Int(exactly: $0) })
            else {
                return nil
            }
            return AppcPort(name: name, port: number, protocolName: port["protocol"]?.stringValue ?? "tcp")
        }
    }
}
