import Foundation
import LarkKit
import Testing

/// Legacy card callbacks (`card.action.trigger_v1`): SHA-1 over the verification token.
@Suite
struct LarkCardCallbackReceiverTests {
    let token = "vt_test"
    let signedAt = Date(timeIntervalSince1970: 1_700_000_000)
    let callback = #"{"open_id":"ou_1","user_id":"u1","open_message_id":"om_1","open_chat_id":"oc_1","tenant_key":"t1","token":"c-update","action":{"value":{"id":7},"tag":"button","option":"","timezone":"Asia/Shanghai"}}"#

    func signed(_ body: [UInt8], token: String = "vt_test", at timestamp: String = "1700000000") -> [String: String] {
        [
            "x-lark-request-timestamp": timestamp, "X-Lark-Request-Nonce": "nonce123",
            "X-Lark-Signature": LarkSignature.legacyCard(timestamp: timestamp, nonce: "nonce123", verificationToken: token, body: body),
        ]
    }

    @Test
    func aSignedPlainCallbackIsReadWithItsUpdateToken() throws {
        let receiver = try LarkCardCallbackReceiver(encryptKey: nil, verificationToken: token)
        let body = Array(callback.utf8)
        guard case .action(let action) = try receiver.receive(headers: signed(body), body: body, now: signedAt) else {
            Issue.record("not an action")
            return
        }
        #expect(action.openID == "ou_1")
        #expect(action.openMessageID == "om_1")
        #expect(action.token == "c-update")
        #expect(action.action.tag == "button")
        #expect(action.action.valueJSON == #"{"id":7}"#)
        #expect(action.action.timezone == "Asia/Shanghai")
    }

    @Test
    func theDerivedVectorsSignatureIsAcceptedOverTheEncryptedBody() throws {
        // REFERENCE A6.2: the signature covers the raw body, here the encrypted one.
        let body = Array(#"{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}"#.utf8)
        let headers = ["X-Lark-Request-Timestamp": "1700000000", "X-Lark-Request-Nonce": "nonce123", "X-Lark-Signature": "1f5d66194952fc43a759a0be89f92a113188b957"]
        let receiver = try LarkCardCallbackReceiver(encryptKey: "test key", verificationToken: token)
        // The signature passes; "hello world" is not a callback, so it is then refused as malformed.
        #expect(throws: LarkEventError(.malformedBody)) { try receiver.receive(headers: headers, body: body, now: signedAt) }
    }

    @Test
    func anEncryptedCallbackIsDecryptedAfterItsSignatureChecks() throws {
        let cipher = try LarkEventCipher(encryptKey: "card key")
        let body = Array(#"{"encrypt":"\#(cipher.encrypt(callback))"}"#.utf8)
        let receiver = try LarkCardCallbackReceiver(encryptKey: "card key", verificationToken: token)
        #expect(try receiver.receive(headers: signed(body), body: body, now: signedAt) != .urlVerification(challenge: ""))
        let plainOnly = try LarkCardCallbackReceiver(encryptKey: nil, verificationToken: token)
        #expect(throws: LarkEventError(.encryptKeyMissing)) { try plainOnly.receive(headers: signed(body), body: body, now: signedAt) }
    }

    @Test
    func forgedTamperedAndReplayedCallbacksAreRefused() throws {
        let receiver = try LarkCardCallbackReceiver(encryptKey: nil, verificationToken: token)
        let body = Array(callback.utf8)
        #expect(throws: LarkEventError(.signatureMismatch)) { try receiver.receive(headers: [:], body: body, now: signedAt) }
        #expect(throws: LarkEventError(.signatureMismatch)) {
            try receiver.receive(headers: signed(body, token: "someone else's"), body: body, now: signedAt)
        }
        #expect(throws: LarkEventError(.signatureMismatch)) {
            try receiver.receive(headers: signed(body), body: body + Array(" ".utf8), now: signedAt)
        }
        // An SHA-256 event signature with the token as key is not the legacy algorithm.
        var sha256 = signed(body)
        sha256["X-Lark-Signature"] = LarkSignature.event(timestamp: "1700000000", nonce: "nonce123", encryptKey: token, body: body)
        #expect(throws: LarkEventError(.signatureMismatch)) { try receiver.receive(headers: sha256, body: body, now: signedAt) }
        #expect(throws: LarkEventError(.staleTimestamp)) {
            try receiver.receive(headers: signed(body), body: body, now: signedAt.addingTimeInterval(301))
        }
        #expect(throws: LarkEventError(.staleTimestamp)) {
            try receiver.receive(headers: signed(body, at: "Monday, 14-Nov-22 15:53:37 CST"), body: body, now: signedAt)
        }
        // The date form of Lark's card samples, in China Standard Time: the same instant as 1700000000.
        #expect(throws: Never.self) {
            try receiver.receive(headers: signed(body, at: "Wednesday, 15-Nov-23 06:13:20 CST"), body: body, now: signedAt)
        }
        #expect(throws: LarkEventError(.staleTimestamp)) {
            try receiver.receive(headers: signed(body, at: "1.7e9"), body: body, now: signedAt)
        }
    }

    @Test
    func urlVerificationIsAnsweredAfterItsTokenUnsigned() throws {
        let receiver = try LarkCardCallbackReceiver(encryptKey: nil, verificationToken: token)
        let challenge = #"{"challenge":"c-123","token":"vt_test","type":"url_verification"}"#
        #expect(try receiver.receive(headers: [:], body: Array(challenge.utf8)) == .urlVerification(challenge: "c-123"))
        #expect(String(decoding: receiver.challengeResponse("c-123"), as: UTF8.self) == #"{"challenge":"c-123"}"#)
        #expect(throws: LarkEventError(.tokenMismatch)) {
            try receiver.receive(headers: [:], body: Array(challenge.replacingOccurrences(of: "vt_test", with: "vt_other").utf8))
        }
        #expect(throws: LarkCryptoError(.noCredentials)) { try LarkCardCallbackReceiver(encryptKey: "key", verificationToken: "") }
    }
}
