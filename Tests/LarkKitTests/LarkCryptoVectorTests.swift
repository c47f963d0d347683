import LarkKit
import Testing

/// The official and derived vectors of REFERENCE.md A5.3, A5.4, A6.2 and A7.
@Suite
struct LarkCryptoVectorTests {
    let body = Array(#"{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}"#.utf8)

    @Test
    func officialTestKeyVectorDecryptsToHelloWorld() throws {
        let cipher = try LarkEventCipher(encryptKey: "test key")
        #expect(try cipher.decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=") == "hello world")
    }

    @Test
    func encryptWithAFixedIVMatchesTheDerivedVector() throws {
        let cipher = try LarkEventCipher(encryptKey: "test key")
        #expect(cipher.encrypt("hello world", iv: Array(0..<16)) == "AAECAwQFBgcICQoLDA0ODx9boKUoUEfLsblbVEKm75s=")
    }

    @Test
    func eventSignatureMatchesTheDerivedExample() throws {
        let signature = LarkSignature.event(timestamp: "1700000000", nonce: "nonce123", encryptKey: "test key", body: body)
        #expect(signature == "669e3ed5328644f71370e3249f96af0fd17e5ed4d7b178c44f11f7997339e344")
        try LarkSignature.verifyEvent(
            signature: signature.uppercased(), timestamp: "1700000000", nonce: "nonce123", encryptKey: "test key", body: body)
        #expect(throws: LarkCryptoError(.signatureMismatch)) {
            try LarkSignature.verifyEvent(
                signature: signature, timestamp: "1700000001", nonce: "nonce123", encryptKey: "test key", body: body)
        }
    }

    @Test
    func legacyCardSignatureMatchesTheDerivedExample() throws {
        let signature = LarkSignature.legacyCard(
            timestamp: "1700000000", nonce: "nonce123", verificationToken: "vt_test", body: body)
        #expect(signature == "1f5d66194952fc43a759a0be89f92a113188b957")
        #expect(throws: LarkCryptoError(.signatureMismatch)) {
            try LarkSignature.verifyLegacyCard(
                signature: signature, timestamp: "1700000000", nonce: "nonce123", verificationToken: "other", body: body)
        }
    }

    @Test
    func customBotSignMatchesTheDerivedExample() {
        #expect(LarkSignature.customBot(timestamp: 1_599_360_473, secret: "test-secret") == "wSds2BzzFIIGf/WrhUO+NI1q/9j+FRJd3JNHKAq0NZY=")
    }

    @Test
    func anEmptyEncryptKeyIsRefused() {
        #expect(throws: LarkCryptoError(.emptyKey)) { try LarkEventCipher(encryptKey: "") }
    }
}
