import Foundation
import LarkKit
import Testing
import WeComKit

/// Phase 2 of the crypto interop (phase 1 is tests/interop/make_vectors.py, phase 3 the pytest
/// suite): decrypt what wechatpy and an independent Lark implementation encrypted, and write what
/// the kits encrypt for lark-oapi and wechatpy to check. `./scripts/test` sets
/// `YIZHAN_INTEROP_DIR` and `YIZHAN_TEST_REQUIRE_INTEROP=1`; without them the suite has nothing to read.
@Suite
struct KitInteropTests {
    static let directory = ProcessInfo.processInfo.environment["YIZHAN_INTEROP_DIR"].flatMap { $0.isEmpty ? nil : $0 }

    struct PythonVectors: Decodable {
        struct Lark: Decodable {
            let encrypt_key: String, encrypt: String, plaintext: String
        }
        struct WeCom: Decodable {
            let token: String, encoding_aes_key: String, corp_id: String, nonce: String, timestamp: String
            let envelope: String, plaintext: String
        }
        /// A whole webhook request as Lark sends it, and what the receiver must make of it.
        struct LarkRequest: Decodable {
            struct Expect: Decodable {
                let event_id: String?, event_type: String?, challenge: String?, error: String?
            }
            let encrypt_key: String?, verification_token: String, headers: [String: String], body: String
            let now: Int, expect: Expect
        }
        let lark: [Lark]
        let lark_requests: [LarkRequest]
        let wecom: [WeCom]
    }

    static func pythonVectors() throws -> PythonVectors {
        let url = URL(fileURLWithPath: directory!).appendingPathComponent("python-vectors.json")
        return try JSONDecoder().decode(PythonVectors.self, from: Data(contentsOf: url))
    }

    @Test
    func interopVectorsArePresentWhenRequired() {
        if ProcessInfo.processInfo.environment["YIZHAN_TEST_REQUIRE_INTEROP"] == "1" {
            #expect(Self.directory != nil)
        }
    }

    @Test(.enabled(if: directory != nil))
    func kitsDecryptWhatThePythonImplementationsEncrypted() throws {
        let vectors = try Self.pythonVectors()
        #expect(vectors.lark.count > 0 && vectors.wecom.count > 0)
        for vector in vectors.lark {
            #expect(try LarkEventCipher(encryptKey: vector.encrypt_key).decrypt(vector.encrypt) == vector.plaintext)
        }
        for vector in vectors.wecom {
            let crypto = try WeComMessageCrypto(token: vector.token, encodingAESKey: vector.encoding_aes_key, receiveID: vector.corp_id)
            let signature = try #require(vector.envelope.firstMatch(of: /<MsgSignature><!\[CDATA\[([0-9a-f]+)\]\]>/)?.1)
            let plaintext = try crypto.decryptXML(
                vector.envelope, msgSignature: String(signature), timestamp: vector.timestamp, nonce: vector.nonce)
            #expect(plaintext == vector.plaintext)
        }
    }

    /// Requests encrypted and signed by the Python implementation of the published algorithm go
    /// through `LarkEventReceiver` whole: headers, signature, timestamp window, token, v1 and v2
    /// envelopes, URL verification; tampered signatures and wrong tokens are refused by name.
    @Test(.enabled(if: directory != nil))
    func larkEventReceiverTakesWebhookRequestsAnotherImplementationMade() throws {
        let requests = try Self.pythonVectors().lark_requests
        #expect(requests.count >= 50)
        for request in requests {
            let receiver = try LarkEventReceiver(encryptKey: request.encrypt_key, verificationToken: request.verification_token)
            let now = Date(timeIntervalSince1970: TimeInterval(request.now))
            let outcome = Result { () throws(LarkEventError) in
                try receiver.receive(headers: request.headers, body: Array(request.body.utf8), now: now)
            }
            switch (outcome, request.expect.error) {
            case (.success(.event(let event)), nil):
                #expect(event.eventID == request.expect.event_id)
                #expect(event.eventType == request.expect.event_type)
            case (.success(.urlVerification(let challenge)), nil):
                #expect(challenge == request.expect.challenge)
            case (.failure(let error), let expected?):
                #expect(error.code.description == expected)
            default:
                Issue.record("\(request.expect) but the receiver answered \(outcome)")
            }
        }
    }

    @Test(.enabled(if: directory != nil))
    func kitsWriteCallbacksForTheOfficialSDKsToCheck() throws {
        var lark: [[String: String]] = []
        for index in 0..<25 {
            let key = "key-\(index)-" + UUID().uuidString
            let token = "vt-\(index)"
            let event = #"{"schema":"2.0","header":{"event_id":"sw-\#(index)","event_type":"yizhan.test","token":"\#(token)","create_time":"1700000000000","app_id":"cli_test","tenant_key":"t"},"event":{"text":"来自 Swift \#(index)"}}"#
            let body = #"{"encrypt":"\#(try LarkEventCipher(encryptKey: key).encrypt(event))"}"#
            let timestamp = String(1_700_000_000 + index), nonce = "n\(index)"
            lark.append([
                "encrypt_key": key, "verification_token": token, "body": body, "plaintext": event,
                "timestamp": timestamp, "nonce": nonce,
                "signature": LarkSignature.event(timestamp: timestamp, nonce: nonce, encryptKey: key, body: Array(body.utf8)),
            ])
        }
        var wecom: [[String: String]] = []
        for index in 0..<25 {
            // WeCom keys end in any letter or digit, canonical Base64 (AEIMQUYcgkosw048) or not.
            let finals = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            let key = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(32)) + "abcdefghij"
                + String(finals[(index * 7) % finals.count])
            let corp = "ww" + String(index) + "interop"
            let crypto = try WeComMessageCrypto(token: "token\(index)", encodingAESKey: key, receiveID: corp)
            let message = "<xml><ToUserName><![CDATA[\(corp)]]></ToUserName><Content><![CDATA[回复 \(index)]]></Content></xml>"
            let timestamp = String(1_700_000_000 + index), nonce = "\(index)4242"
            let encrypted = crypto.encrypt(Array(message.utf8))
            wecom.append([
                "token": "token\(index)", "encoding_aes_key": key, "corp_id": corp, "plaintext": message,
                "timestamp": timestamp, "nonce": nonce, "encrypt": encrypted,
                "msg_signature": crypto.signature(timestamp: timestamp, nonce: nonce, encrypted: encrypted),
                "reply_xml": crypto.passiveReplyXML(message, timestamp: timestamp, nonce: nonce),
            ])
        }
        let data = try JSONSerialization.data(withJSONObject: ["lark": lark, "wecom": wecom], options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: Self.directory!).appendingPathComponent("swift-vectors.json"))
    }
}
