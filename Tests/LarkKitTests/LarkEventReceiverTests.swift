import Foundation
import LarkKit
import Testing

@Suite
struct LarkEventReceiverTests {
    let key = "event key", token = "vt_test"

    func signedRequest(_ plaintext: String) throws -> (headers: [String: String], body: [UInt8]) {
        let body = Array(#"{"encrypt":"\#(try LarkEventCipher(encryptKey: key).encrypt(plaintext))"}"#.utf8)
        let signature = LarkSignature.event(timestamp: "1700000000", nonce: "n1", encryptKey: key, body: body)
        return (["X-Lark-Request-Timestamp": "1700000000", "X-Lark-Request-Nonce": "n1", "X-Lark-Signature": signature], body)
    }

    /// When the requests of ``signedRequest(_:)`` were signed.
    let signedAt = Date(timeIntervalSince1970: 1_700_000_000)

    @Test
    func urlVerificationIsAnsweredAfterTheTokenCheckPlainOrEncrypted() throws {
        let plain = try LarkEventReceiver(encryptKey: nil, verificationToken: token)
        let challenge = #"{"challenge":"ajls384kdjx98XX","token":"vt_test","type":"url_verification"}"#
        #expect(try plain.receive(headers: [:], body: Array(challenge.utf8)) == .urlVerification(challenge: "ajls384kdjx98XX"))
        #expect(String(decoding: plain.challengeResponse("ajls384kdjx98XX"), as: UTF8.self) == #"{"challenge":"ajls384kdjx98XX"}"#)
        #expect(throws: LarkEventError(.tokenMismatch)) {
            try plain.receive(headers: [:], body: Array(challenge.replacingOccurrences(of: "vt_test", with: "other").utf8))
        }
        let encrypted = try LarkEventReceiver(encryptKey: key, verificationToken: token)
        let body = Array(#"{"encrypt":"\#(try LarkEventCipher(encryptKey: key).encrypt(challenge))"}"#.utf8)
        #expect(try encrypted.receive(headers: [:], body: body) == .urlVerification(challenge: "ajls384kdjx98XX"))
    }

    @Test
    func aSignedEncryptedV2EventIsDecodedAndATamperedOneRefused() throws {
        let receiver = try LarkEventReceiver(encryptKey: key, verificationToken: token)
        let event = #"{"schema":"2.0","header":{"event_id":"ev1","event_type":"im.message.receive_v1","create_time":"1700000000000","token":"vt_test","app_id":"cli_a","tenant_key":"t1"},"event":{"message":{"message_id":"om_1"}}}"#
        let (headers, body) = try signedRequest(event)
        guard case .event(let received) = try receiver.receive(headers: headers, body: body, now: signedAt) else {
            Issue.record("not an event")
            return
        }
        #expect(received.eventID == "ev1")
        #expect(received.eventType == "im.message.receive_v1")
        #expect(received.appID == "cli_a")
        #expect(String(decoding: received.payload, as: UTF8.self).contains("om_1"))

        var tampered = headers
        tampered["X-Lark-Request-Nonce"] = "n2"
        #expect(throws: LarkEventError(.signatureMismatch)) { try receiver.receive(headers: tampered, body: body, now: signedAt) }
        #expect(throws: LarkEventError(.signatureMismatch)) { try receiver.receive(headers: [:], body: body) }
        let otherToken = try LarkEventReceiver(encryptKey: key, verificationToken: "other")
        #expect(throws: LarkEventError(.tokenMismatch)) { try otherToken.receive(headers: headers, body: body, now: signedAt) }
        // The same signed request replayed six minutes later.
        #expect(throws: LarkEventError(.staleTimestamp)) {
            try receiver.receive(headers: headers, body: body, now: signedAt.addingTimeInterval(360))
        }
        let otherKey = try LarkEventReceiver(encryptKey: "other key", verificationToken: token)
        #expect(throws: LarkEventError.self) { try otherKey.receive(headers: headers, body: body) }
    }

    @Test
    func aPlainV1EventIsDecoded() throws {
        let receiver = try LarkEventReceiver(encryptKey: nil, verificationToken: token)
        let body = #"{"ts":"1502199207.7171419","uuid":"bc447199585340d1f3728d26b1c0297a","token":"vt_test","type":"event_callback","event":{"app_id":"cli_x","app_ticket":"tk","type":"app_ticket"}}"#
        guard case .event(let event) = try receiver.receive(headers: [:], body: Array(body.utf8)) else {
            Issue.record("not an event")
            return
        }
        #expect(event.schema == "1.0")
        #expect(event.eventID == "bc447199585340d1f3728d26b1c0297a")
        #expect(event.eventType == "app_ticket")
    }

    @Test
    func aCardActionDecodesAndItsResponseIsLarksShape() throws {
        let receiver = try LarkEventReceiver(encryptKey: key, verificationToken: token)
        let callback = #"{"schema":"2.0","header":{"event_id":"ev2","event_type":"card.action.trigger","token":"vt_test","app_id":"cli_a"},"event":{"operator":{"open_id":"ou_1","tenant_key":"t1"},"token":"c-123","action":{"value":{"approve":true,"id":7},"tag":"button"},"host":"im_message","context":{"open_message_id":"om_9","open_chat_id":"oc_1"}}}"#
        let (headers, body) = try signedRequest(callback)
        guard case .event(let event) = try receiver.receive(headers: headers, body: body, now: signedAt) else {
            Issue.record("not an event")
            return
        }
        let action = try event.decode(LarkCardAction.self)
        #expect(action.operator?.openID == "ou_1")
        #expect(action.token == "c-123")
        #expect(action.action.tag == "button")
        #expect(action.action.valueJSON == #"{"approve":true,"id":7}"#)
        #expect(action.context?.openMessageID == "om_9")
        let response = LarkCardActionResponse(toast: .init(.success, "已批准"))
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"toast":{"content":"已批准","type":"success"}}"#)
        #expect(String(decoding: LarkCardActionResponse().body, as: UTF8.self) == "{}")
    }

    @Test
    func malformedAndUnexpectedBodiesAreTypedErrors() throws {
        #expect(throws: LarkCryptoError(.noCredentials)) { try LarkEventReceiver(encryptKey: nil, verificationToken: nil) }
        #expect(throws: LarkCryptoError(.noCredentials)) { try LarkEventReceiver(encryptKey: "", verificationToken: "") }
        let plain = try LarkEventReceiver(encryptKey: nil, verificationToken: token)
        #expect(throws: LarkEventError(.encryptKeyMissing)) { try plain.receive(headers: [:], body: Array(#"{"encrypt":"abc"}"#.utf8)) }
        let receiver = try LarkEventReceiver(encryptKey: key, verificationToken: token)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let body = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: LarkEventError.self) { try receiver.receive(headers: [:], body: body) }
        }
        // Unsigned, every failure is the same answer: bad padding and bad plaintext look alike.
        #expect(throws: LarkEventError(.signatureMismatch)) { try receiver.receive(headers: [:], body: Array(#"{"encrypt":"!!!"}"#.utf8)) }
        #expect(throws: LarkEventError(.signatureMismatch)) { try receiver.receive(headers: [:], body: Array("[1,2]".utf8)) }
        let undecryptable = Array(#"{"encrypt":"\#(String(repeating: "A", count: 44))"}"#.utf8)
        #expect(throws: LarkEventError(.signatureMismatch)) { try receiver.receive(headers: [:], body: undecryptable) }
        // Signed, the body is authentic, and what is wrong with it may be told.
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let signed = [
            "X-Lark-Request-Timestamp": "1700000000", "X-Lark-Request-Nonce": "n",
            "X-Lark-Signature": LarkSignature.event(timestamp: "1700000000", nonce: "n", encryptKey: key, body: undecryptable),
        ]
        #expect(throws: LarkEventError(.decryptionFailed)) { try receiver.receive(headers: signed, body: undecryptable, now: now) }
    }
}
