import Foundation
import LarkKit
import WeComKit

/// Benchmarks for docs/benchmarks.md, run in release:
/// - `yizhan-bench` — the kits' callback crypto on one core (scripts/bench/kit-crypto.sh);
/// - `yizhan-bench lark-send|wecom-send URL COUNT CONCURRENCY` — LarkKit or WeComKit sending text
///   messages to a sandbox (scripts/bench/provider-send.sh);
/// - `yizhan-bench json` — response envelopes through JSONEncoder and CompactJSONEncoder
///   (scripts/bench/json.sh);
/// - `yizhan-bench stack` — one request through the router in process, plain route against the
///   generated OpenAPI server (scripts/bench/stack.sh);
/// - `yizhan-bench floor PORT` — a bare Hummingbird server with `/health/live` only, the floor
///   scripts/bench/health.sh measures beside `yizhan serve`.
/// - `yizhan-bench jobs ENGINE LOCATION burn|latency|floor …` — the job queue's burn-down, its
///   enqueue→start latency under a trickle, and the SQLite floor (scripts/bench/jobs.sh).
/// - `yizhan-bench tokens [ROUNDS [CALLS]]` — the token pool's hit path beside LarkKit's in-memory
///   token cache, 64 concurrent callers (scripts/bench/tokens.sh).

func measure(_ name: String, seconds: Double = 3, _ body: () throws -> Void) rethrows {
    for _ in 0..<1000 { try body() }  // warm-up
    var count = 0
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        for _ in 0..<1000 { try body() }
        count += 1000
    }
    let rate = Double(count) / Date().timeIntervalSince(start)
    print("\(name): \(Int(rate)) per second")
}

if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "json" {
    try benchmarkJSONEncoding()
    exit(0)
}
if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "stack" {
    try await benchmarkRequestStack()
    exit(0)
}
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "floor" {
    try await runFloorServer(port: Int(CommandLine.arguments[2])!)
    exit(0)
}
if CommandLine.arguments.count >= 2, CommandLine.arguments[1] == "tokens" {
    try await benchmarkTokenHits(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.count >= 2, CommandLine.arguments[1] == "jobs" {
    try await runJobsBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.count == 5, CommandLine.arguments[1] == "lark-send" {
    try await benchmarkLarkSend(
        baseURL: CommandLine.arguments[2], count: Int(CommandLine.arguments[3])!, concurrency: Int(CommandLine.arguments[4])!)
    exit(0)
}
if CommandLine.arguments.count == 5, CommandLine.arguments[1] == "wecom-send" {
    try await benchmarkWeComSend(
        baseURL: CommandLine.arguments[2], count: Int(CommandLine.arguments[3])!, concurrency: Int(CommandLine.arguments[4])!)
    exit(0)
}

// A 1 KB Lark event, encrypted and signed as Lark sends it.
let larkKey = "bench encrypt key"
let event = #"{"schema":"2.0","header":{"event_id":"5e3702a84e847582be8db7fb73283c02","event_type":"im.message.receive_v1","create_time":"1608725989000","token":"rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV","app_id":"cli_9f5343c580712544","tenant_key":"2ca1d211f64f6438"},"event":{"message":{"chat_id":"oc_5ce6d572455d361153b7cb51da133945","chat_type":"group","content":"\#(String(repeating: "x", count: 620))","message_id":"om_5ce6d572455d361153b7cb51da133945","message_type":"text"}}}"#
let cipher = try LarkEventCipher(encryptKey: larkKey)
let body = Array(#"{"encrypt":"\#(cipher.encrypt(event))"}"#.utf8)
let encrypted = String(decoding: body.dropFirst(12).dropLast(2), as: UTF8.self)  // the value inside {"encrypt":"…"}
let signature = LarkSignature.event(timestamp: "1700000000", nonce: "nonce", encryptKey: larkKey, body: body)
print("Lark event plaintext: \(event.utf8.count) bytes")
try measure("Lark verify signature + decrypt (1 KB event)") {
    try LarkSignature.verifyEvent(signature: signature, timestamp: "1700000000", nonce: "nonce", encryptKey: larkKey, body: body)
    _ = try cipher.decryptBytes(encrypted)
}

// A WeCom XML callback (the W1 message), verified and decrypted from the envelope.
let wecom = try WeComMessageCrypto(token: "QDG6eK", encodingAESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", receiveID: "wx5823bf96d3bd56c7")
let message = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>"
let wecomEncrypted = wecom.encrypt(Array(message.utf8))
let wecomSignature = wecom.signature(timestamp: "1409659813", nonce: "1372623149", encrypted: wecomEncrypted)
let xml = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[\(wecomEncrypted)]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
try measure("WeCom XML callback verify + decrypt (284-byte message)") {
    _ = try wecom.decryptXML(xml, msgSignature: wecomSignature, timestamp: "1409659813", nonce: "1372623149")
}
