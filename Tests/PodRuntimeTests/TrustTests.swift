import Foundation
import Glibc
import Images
import PodRuntime
import RktSys
import Testing

/// `rkt trust` and signature verification on `prepare`, with a real RSA key made by gpg and the
/// `rkt` binary built by this package.
enum TrustTools {
    static let binDirectory =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        .map { ($0 as NSString).deletingLastPathComponent } ?? ".build/debug"
    static let rkt = "\(binDirectory)/rkt"
    static var present: Bool {
        FileManager.default.isExecutableFile(atPath: rkt)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/gpgv")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg")
    }
}

@Suite(.serialized, .enabled(if: TrustTools.present, "needs gpg, gpgv and the built rkt binary"))
struct TrustTests {
    /// A temp dir with a gpg home holding one RSA signing key, its armored public key, and a signed ACI.
    struct Fixture {
        let root: String
        var dataDirectory: String { "\(root)/data" }
        var configDirectory: String { "\(root)/config" }
        var image: String { "\(root)/app.aci" }
        var publicKey: String { "\(root)/pub.asc" }

        init() throws {
            root = "\(NSTemporaryDirectory())rkt-trust-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileSystem.makeDirectories("\(root)/gnupg", mode: 0o700)
            try FileSystem.makeDirectories("\(root)/rootfs/bin")
            try FileSystem.writeAtomically("ORIGINAL CONTENT\n", to: "\(root)/rootfs/bin/data")
            try gpg(["--passphrase", "", "--quick-gen-key", "Signer <signer@example.com>", "rsa2048", "sign", "never"])
            try FileSystem.writeAtomically(try gpg(["--armor", "--export"]), to: publicKey)
            let manifest = try ManifestFields(name: "example.com/signed/app", exec: ["/bin/true"]).makeManifest()
            _ = try ACIBuilder.build(rootfs: "\(root)/rootfs", manifest: manifest, output: image, gzip: false)
            try gpg(["--armor", "--detach-sign", "--output", "\(image).asc", image])
        }

        @discardableResult
        func gpg(_ arguments: [String]) throws -> [UInt8] {
            let output = try Subprocess.run("gpg", ["--homedir", "\(root)/gnupg", "--batch", "--yes"] + arguments)
            #expect(output.status.succeeded, "gpg \(arguments): \(output.stderrText)")
            return output.stdout
        }

        func rkt(_ arguments: [String]) throws -> ProcessOutput {
            try Subprocess.run(
                TrustTools.rkt, ["--dir=\(dataDirectory)", "--local-config=\(configDirectory)"] + arguments)
        }

        func remove() {
            try? FileSystem.removeTree(root)
        }
    }

    @Test func signedImagePreparesOnlyOnceItsPrefixIsTrusted() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }

        let untrusted = try fixture.rkt(["prepare", fixture.image])
        #expect(untrusted.status == .exited(254))
        #expect(
            untrusted.stderrText.contains(
                "image \"example.com/signed/app\": no keys are trusted for its prefix; run rkt trust --prefix=example.com/signed/app KEYFILE"
            ))

        let trust = try fixture.rkt([
            "trust", "--prefix=example.com/signed", "--skip-fingerprint-review", fixture.publicKey,
        ])
        #expect(trust.status.succeeded, "\(trust.stderrText)")
        let keys = try FileSystem.list("\(fixture.configDirectory)/trustedkeys/prefix.d/example.com/signed")
        #expect(keys.count == 1 && keys[0].count == 40 && keys[0] == keys[0].lowercased())

        let prepared = try fixture.rkt(["prepare", fixture.image])
        #expect(prepared.status.succeeded, "\(prepared.stderrText)")
        #expect(try PodUUID(parsing: prepared.stdoutText.trimmed).canonical == prepared.stdoutText.trimmed)
    }

    @Test func tamperedImageIsRejectedAndNotImported() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        _ = try fixture.rkt(["trust", "--prefix=example.com", "--skip-fingerprint-review", fixture.publicKey])
        let original = try FileSystem.read(fixture.image)
        let tampered = String(decoding: original, as: UTF8.self).replacingOccurrences(of: "ORIGINAL", with: "TAMPERED")
        #expect(Array(tampered.utf8).count == original.count)
        try FileSystem.writeAtomically(tampered, to: fixture.image)

        let output = try fixture.rkt(["prepare", fixture.image])
        #expect(output.status == .exited(254))
        #expect(output.stderrText.contains("does not verify with the keys trusted for its prefix"))
        #expect(output.stderrText.split(separator: "\n").count == 1)
        #expect((try? FileSystem.list("\(fixture.dataDirectory)/cas/images")) ?? [] == [])
    }

    @Test func missingSignatureNamesTheFileAndTheFix() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        unlink("\(fixture.image).asc")
        let output = try fixture.rkt(["prepare", fixture.image])
        #expect(
            output.stderrText.trimmed
                == "prepare: image \"example.com/signed/app\": no signature at \(fixture.image).asc; sign it, or pass --insecure-options=image to skip verification"
        )
        let insecure = try fixture.rkt(["--insecure-options=image", "prepare", fixture.image])
        #expect(insecure.status.succeeded, "\(insecure.stderrText)")
    }

    @Test func keyOfAnotherPrefixDoesNotCount() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        _ = try fixture.rkt(["trust", "--prefix=example.org", "--skip-fingerprint-review", fixture.publicKey])
        let output = try fixture.rkt(["prepare", fixture.image])
        #expect(output.status == .exited(254))
    }

    @Test(arguments: [
        (
            ["trust", "--prefix=https://example.com", "--skip-fingerprint-review", "k.asc"],
            "trust: --prefix must not contain a URL scheme, omit https://"
        ),
        (["trust", "k.asc"], "trust: aborting due to implicit unbounded trust; use --prefix or --root"),
        (
            ["trust", "--prefix=example.com"],
            "trust: no key file given and key discovery over HTTPS is not supported; trust a key file first: rkt trust --prefix=PREFIX --skip-fingerprint-review KEY.asc"
        ),
    ])
    func trustUsageErrors(arguments: [String], message: String) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let output = try fixture.rkt(arguments)
        #expect(output.status == .exited(254))
        #expect(output.stderrText.trimmed == message)
    }
}
