import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ProviderSandbox
import Synchronization
import Testing
import WeComKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The sandbox pushes WeCom callbacks as WeCom does; WeComKit's crypto accepts them.
@Suite(.timeLimit(.minutes(1)))
struct WeComCallbackPushTests {
    static let aesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

    final class Inbox: Sendable {
        let messages = Mutex<[String]>([])
        let verifications = Mutex(0)
        /// How many POSTs to fail before answering 200.
        let failuresLeft: Mutex<Int>
        init(failures: Int) { failuresLeft = Mutex(failures) }
    }

    /// A receiver that verifies and decrypts with WeComKit (wrong credentials make it answer 403).
    func withReceiver(token: String, failures: Int = 0, _ body: @Sendable (String, Inbox) async throws -> Void) async throws {
        let inbox = Inbox(failures: failures)
        let crypto = try WeComMessageCrypto(token: token, encodingAESKey: Self.aesKey, receiveID: "wwcorp")
        let router = Router()
        router.get("/wecom/callback") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard let echo = try? crypto.verifyURL(
                msgSignature: String(query["msg_signature"] ?? ""), timestamp: String(query["timestamp"] ?? ""),
                nonce: String(query["nonce"] ?? ""), echostr: String(query["echostr"] ?? ""))
            else { return Response(status: .forbidden) }
            inbox.verifications.withLock { $0 += 1 }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: echo)))
        }
        router.post("/wecom/callback") { request, _ -> Response in
            let query = request.uri.queryParameters
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let plaintext = try? crypto.decryptXML(
                String(buffer: body), msgSignature: String(query["msg_signature"] ?? ""),
                timestamp: String(query["timestamp"] ?? ""), nonce: String(query["nonce"] ?? ""))
            else { return Response(status: .forbidden) }
            let fail = inbox.failuresLeft.withLock { left -> Bool in
                defer { left = max(0, left - 1) }
                return left > 0
            }
            if fail { return Response(status: .internalServerError) }
            inbox.messages.withLock { $0.append(plaintext) }
            return Response(status: .ok)
        }
        var logger = Logger(label: "receiver.test")
        logger.logLevel = .warning
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            .test(.live) { client in try await body("http://127.0.0.1:\(client.port!)/wecom/callback", inbox) }
    }

    func withApp(callbackURL: String, _ body: @Sendable (String) async throws -> Void) async throws {
        let seed = """
            {"wecom": {"apps": [{"corp_id": "wwcorp", "agent_id": 1000002, "secret": "s", "token": "cbtoken",
                                 "encoding_aes_key": "\(Self.aesKey)", "callback_url": "\(callbackURL)"}]}}
            """
        try await withSandbox(seed: seed) { _, baseURL in try await body(baseURL) }
    }

    func push(_ baseURL: String, _ json: String) async throws -> (status: Int, delivery: [String: Any]) {
        var request = URLRequest(url: URL(string: baseURL + "/_sandbox/wecom/callbacks")!)
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:])
    }

    @Test
    func aTextMessageIsDeliveredAfterURLVerificationAndDecryptsWithWeComKit() async throws {
        try await withReceiver(token: "cbtoken") { receiverURL, inbox in
            try await withApp(callbackURL: receiverURL) { baseURL in
                let (_, delivery) = try await push(baseURL, #"{"corp_id": "wwcorp", "agent_id": 1000002, "url_verification": true, "message": {"MsgType": "text", "FromUserName": "zhangsan", "Content": "你好 <b>&</b>"}}"#)
                #expect(delivery["url_verification"] as? String == "passed")
                #expect(delivery["delivered"] as? Bool == true)
                #expect(inbox.verifications.withLock { $0 } == 1)
                let messages = inbox.messages.withLock { $0 }
                #expect(messages.count == 1)
                let xml = messages.first ?? ""
                #expect(xml.contains("<Content><![CDATA[你好 <b>&</b>]]></Content>"))
                #expect(xml.contains("<ToUserName><![CDATA[wwcorp]]></ToUserName>"))
                #expect(xml.contains("<AgentID>1000002</AgentID>"))
                #expect(xml.contains("<MsgId><![CDATA[\(delivery["event_id"] as? String ?? "?")]]></MsgId>"))
            }
        }
    }

    @Test
    func aFailingReceiverGetsThreeRetriesAndRawXMLIsSentAsIs() async throws {
        try await withReceiver(token: "cbtoken", failures: 2) { receiverURL, inbox in
            try await withApp(callbackURL: receiverURL) { baseURL in
                let raw = "<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event></xml>"
                let (_, delivery) = try await push(baseURL, #"{"corp_id": "wwcorp", "agent_id": 1000002, "retry_scale": 0.001, "message": "\#(raw)"}"#)
                #expect(delivery["delivered"] as? Bool == true)
                #expect((delivery["attempts"] as? [[String: Any]])?.compactMap { $0["status"] as? Int } == [500, 500, 200])
                #expect(inbox.messages.withLock { $0 } == [raw])
            }
        }
        try await withReceiver(token: "another token") { receiverURL, inbox in
            try await withApp(callbackURL: receiverURL) { baseURL in
                let (_, delivery) = try await push(baseURL, #"{"corp_id": "wwcorp", "agent_id": 1000002, "retry_scale": 0.001, "message": {"MsgType": "text", "Content": "x"}}"#)
                #expect(delivery["delivered"] as? Bool == false)
                #expect((delivery["attempts"] as? [[String: Any]])?.count == 4)
                #expect(inbox.messages.withLock { $0 }.isEmpty)
                let id = try #require(delivery["event_id"] as? String)
                let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sandbox/wecom/callbacks/\(id)")!)
                #expect((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["delivered"] as? Bool == false)
            }
        }
    }

    @Test
    func aPushWithoutAnAppOrMessageIsA400() async throws {
        try await withApp(callbackURL: "http://127.0.0.1:1/none") { baseURL in
            let noMessage = try await push(baseURL, #"{"corp_id": "wwcorp", "agent_id": 9}"#)
            let noApp = try await push(baseURL, #"{"corp_id": "wwnone", "agent_id": 1000002, "message": "<xml/>"}"#)
            #expect(noMessage.status == 400)
            #expect(noApp.status == 400)
        }
    }
}
