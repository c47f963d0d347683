import LarkKit
import Testing

/// Round trips over random keys and plaintexts, and random damage that must always be a typed error.
@Suite
struct LarkCryptoPropertyTests {
    @Test
    func encryptThenDecryptReturnsThePlaintextForAnyKeyAndLength() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<300 {
            let key = String((0..<Int.random(in: 1...40, using: &generator)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 33...126, using: &generator))) })
            let plaintext = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let cipher = try LarkEventCipher(encryptKey: key)
            let encrypted = cipher.encrypt(plaintext)
            #expect(try cipher.decryptBytes(encrypted) == plaintext)
            #expect(encrypted != cipher.encrypt(plaintext), "a fresh IV each time")
        }
    }

    @Test
    func damagedCiphertextsAreTypedErrorsNeverCrashes() throws {
        let cipher = try LarkEventCipher(encryptKey: "test key")
        let other = try LarkEventCipher(encryptKey: "other key")
        var generator = SystemRandomNumberGenerator()
        let valid = cipher.encrypt(Array(#"{"schema":"2.0","header":{"event_id":"e1"}}"#.utf8))
        for _ in 0..<3000 {
            var text = Array(valid.utf8)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: text[Int.random(in: 0..<text.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 1: text.removeLast(Int.random(in: 1...text.count, using: &generator))
            case 2: text += (0..<Int.random(in: 1...40, using: &generator)).map { _ in UInt8.random(in: 43...122, using: &generator) }
            case 3: text = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            default: text = Array(other.encrypt(Array("x".utf8)).utf8)
            }
            do {
                // Damage before the last block can leave the padding intact: CBC has no integrity,
                // which is why callbacks are signed. Such input must still decrypt without a crash.
                _ = try cipher.decryptBytes(String(decoding: text, as: UTF8.self))
            } catch {
                #expect([.invalidBase64, .invalidCiphertextLength, .invalidPadding].contains(error.code))
            }
        }
    }
}
