import Testing
import WeComKit

@Suite
struct WeComCryptoPropertyTests {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func randomKey(_ generator: inout SystemRandomNumberGenerator) -> String {
        // The 43rd character carries only 2 bits of the 32nd byte; keep its low bits zero so the key is canonical.
        String((0..<42).map { _ in alphabet.randomElement(using: &generator)! }) + String("AQgw".randomElement(using: &generator)!)
    }

    @Test
    func encryptThenDecryptRoundTripsForAnyKeyCorpAndMessage() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let corp = "ww" + String((0..<16).map { _ in Self.alphabet.randomElement(using: &generator)! })
            let crypto = try WeComMessageCrypto(token: "token\(length)", encodingAESKey: Self.randomKey(&generator), receiveID: corp)
            let message = (0..<(length * 3)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let encrypted = crypto.encrypt(message)
            let signature = crypto.signature(timestamp: "1700000000", nonce: "n\(length)", encrypted: encrypted)
            #expect(try crypto.decrypt(encrypted: encrypted, msgSignature: signature, timestamp: "1700000000", nonce: "n\(length)") == message)
        }
    }

    @Test
    func damagedInputIsATypedErrorNeverACrash() throws {
        var generator = SystemRandomNumberGenerator()
        let crypto = try WeComMessageCrypto(token: "123456", encodingAESKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", receiveID: "wx49f0ab532d5d035a")
        let valid = crypto.encrypt(Array("<xml><Content>hi</Content></xml>".utf8))
        for _ in 0..<3000 {
            var text = Array(valid.utf8)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: text[Int.random(in: 0..<text.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 1: text.removeLast(Int.random(in: 1...text.count, using: &generator))
            case 2: text = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            default: text += Array("AAAA".utf8)
            }
            let encrypted = String(decoding: text, as: UTF8.self)
            // Signed correctly, so every failure below is the decryption's own.
            let signature = crypto.signature(timestamp: "1", nonce: "2", encrypted: encrypted)
            do {
                _ = try crypto.decrypt(encrypted: encrypted, msgSignature: signature, timestamp: "1", nonce: "2")
            } catch {
                #expect([.invalidBase64, .decryptionFailed, .illegalBuffer, .receiveIDMismatch].contains(error.code))
            }
            #expect(throws: WeComCryptoError.self) {
                try crypto.decrypt(encrypted: encrypted, msgSignature: String(signature.reversed()), timestamp: "1", nonce: "2")
            }
        }
    }

    @Test(arguments: ["", "<xml></xml>", "<xml><Encrypt><![CDATA[abc</Encrypt></xml>", "not xml at all"])
    func envelopesWithoutAnEncryptValueAreMalformed(body: String) throws {
        let crypto = try WeComMessageCrypto(token: "t", encodingAESKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", receiveID: "c")
        #expect(throws: WeComCryptoError(.malformedEnvelope)) { try crypto.decryptXML(body, msgSignature: "x", timestamp: "1", nonce: "2") }
        #expect(throws: WeComCryptoError(.malformedEnvelope)) { try crypto.decryptJSON(Array(body.utf8), msgSignature: "x", timestamp: "1", nonce: "2") }
    }
}
