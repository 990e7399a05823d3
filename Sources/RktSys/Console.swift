import Glibc

/// Writes to this process's standard output and error with write(2), whole, retrying short
/// writes and EINTR (Foundation's FileHandle would link ICU into the static binaries).
public enum Console {
    /// Writes `text` to standard output.
    public static func output(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Writes raw bytes to standard output.
    public static func output(bytes: ArraySlice<UInt8>) {
        write(bytes, to: STDOUT_FILENO)
    }

    /// Writes `text` to standard error.
    public static func error(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        write(Array(text.utf8)[...], to: descriptor)
    }

    private static func write(_ bytes: ArraySlice<UInt8>, to descriptor: Int32) {
        var bytes = bytes
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR {
                continue
            }
            guard written > 0 else {
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
