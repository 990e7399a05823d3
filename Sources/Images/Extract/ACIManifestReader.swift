import RktError

/// Reads just the `manifest` of an ACI file, without extracting or importing it (what the
/// driver's Prestart needs to learn the image's port names).
public enum ACIManifestReader {
    public static func read(fromFile path: String) throws -> [UInt8] {
        let reader = TarReader(try Compression.decompressing(FileSource(path: path), name: path), archiveName: path)
        while let entry = try reader.next() {
            if entry.path == "manifest" || entry.path == "./manifest" {
                return try reader.readAllData(limit: ACIExtractor.manifestLimit)
            }
        }
        throw RktError(.invalidArgument, "\(path): not an ACI: it has no manifest entry")
    }
}
