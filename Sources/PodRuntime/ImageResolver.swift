import FoundationEssentials
import Glibc
import Images
import RktError
import RktSys

/// Turns an image string of `prepare`/`run`/`fetch` into a stored image (rkt-runtime.md §5.4):
/// `sha512-…` and names are looked up in the store; a path or `file://` URL is verified (unless
/// `--insecure-options=image`) and imported. Remote images are not supported: no host but this
/// one may be contacted.
public struct ImageResolver {
    public let runtime: RuntimeContext

    public init(runtime: RuntimeContext) {
        self.runtime = runtime
    }

    public func resolve(_ image: String, insecure: InsecureOptions, signature: String? = nil) throws -> StoredImage {
        if image.hasPrefix("sha512-") {
            return try runtime.images.image(matching: image)
        }
        if image.hasPrefix("file://") || image.hasPrefix("/") || image.hasPrefix(".") || FileSystem.exists(image) {
            let path = image.hasPrefix("file://") ? String(image.dropFirst("file://".count)) : image
            return try importFile(path, insecure: insecure, signature: signature)
        }
        if image.hasPrefix("docker://") || image.hasPrefix("http://") || image.hasPrefix("https://") {
            throw RktError(
                .unsupported, "image \"\(image)\": remote images are not supported; build an ACI and pass its path")
        }
        return try named(image)
    }

    private func importFile(_ path: String, insecure: InsecureOptions, signature: String?) throws -> StoredImage {
        guard FileSystem.exists(path) else {
            throw RktError(.notFound, "image file \"\(path)\" does not exist")
        }
        if insecure.image {
            runtime.logger.debug("signature verification disabled", ["image": path])
        } else {
            let manifest = try ImageManifest.decode(
                try ACIManifestReader.read(fromFile: path), source: "\(path): manifest")
            let verifier = SignatureVerifier(configDirectory: runtime.localConfigDirectory)
            try verifier.verify(file: path, signature: signature ?? "\(path).asc", imageName: manifest.name)
        }
        let stored = try runtime.images.importImage(fromFile: path)
        return stored
    }

    private func named(_ text: String) throws -> StoredImage {
        let parts = text.split(separator: ",").map(String.init)
        var name = parts[0]
        var labels: [String: String] = [:]
        if let colon = name.lastIndex(of: ":") {
            labels["version"] = String(name[name.index(after: colon)...])
            name = String(name[..<colon])
        }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 {
                labels[pair[0]] = pair[1]
            }
        }
        guard let stored = try runtime.images.image(named: name, labels: labels) else {
            throw RktError(
                .notFound, "image \"\(text)\" is not in the store and discovery is not supported; pass the .aci path")
        }
        return stored
    }
}
