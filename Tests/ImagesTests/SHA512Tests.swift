import Images
import Testing

@Suite("SHA-512")
struct SHA512Tests {
    @Test(
        "FIPS 180 example vectors",
        arguments: [
            (
                "abc",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                    + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            ),
            (
                "",
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                    + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                    + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
            ),
        ])
    func vectors(message: String, expected: String) {
        #expect(SHA512.hexDigest(Array(message.utf8)) == expected)
    }
}

@Suite("SHA-512 against sha512sum")
struct SHA512CrossCheckTests {
    @Test(
        "lengths around the block and padding boundaries, fed in odd chunks",
        arguments: [0, 1, 111, 112, 113, 127, 128, 129, 255, 256, 1000, 70000])
    func boundaries(length: Int) throws {
        let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
        let dir = try TempDir()
        try Fixtures.write(data, to: dir.sub("data"))
        let expected = try ImageStoreTests.systemID(dir.sub("data"))

        var hasher = SHA512()
        var offset = 0
        var step = 1
        while offset < data.count {
            let end = min(data.count, offset + step)
            hasher.update(data[offset..<end])
            offset = end
            step = step * 3 % 257
        }
        #expect("sha512-" + SHA512.hex(hasher.finalize()) == expected)
        #expect("sha512-" + SHA512.hexDigest(data) == expected)
    }
}
