import Crypto
import Foundation

/// A decrypted WeCom callback (the XML inside `Encrypt`), read into a typed message or event.
///
/// ```swift
/// let xml = try crypto.decryptXML(body, msgSignature: signature, timestamp: timestamp, nonce: nonce)
/// let callback = try WeComCallback(xml: xml)
/// guard try await seen.insert(callback.dedupeKey) else { return }   // one of WeCom's retries
/// switch callback.kind {
/// case .message(_, .text(let content)): …
/// case .event(.changeContact(.deleteUser(let userID))): …
/// default: break
/// }
/// ```
/// Strings may come as CDATA or plain text, as WeCom's samples differ; both read the same.
public struct WeComCallback: Sendable, Equatable {
    /// A message from a member, or an event.
    public enum Kind: Sendable, Equatable {
        /// `MsgType` other than `event`, with its `MsgId` (kept as text: it exceeds 2^53).
        case message(id: String?, WeComIncomingMessage)
        /// `MsgType` `event`.
        case event(WeComEvent)
    }

    /// The corp id (`ToUserName`).
    public var corpID: String
    /// The member's userid, or `sys` for a system event (`FromUserName`).
    public var from: String
    /// Unix seconds (`CreateTime`).
    public var createTime: Int
    /// The app (`AgentID`); absent from directory-change events.
    public var agentID: Int?
    /// `MsgType` as sent.
    public var messageType: String
    /// What the callback is.
    public var kind: Kind
    /// Every element that holds text, by name (`Content`), or by dotted path when nested
    /// (`ScanCodeInfo.ScanResult`; a path met again is `Path#2`, `Path#3`, …): what the typed
    /// cases do not name is here.
    public var fields: [String: String]

    /// Reads a decrypted callback.
    /// - Throws: ``WeComCallbackError/Code/malformedXML`` for anything that is not one `<xml>`
    ///   element of well-formed XML; ``WeComCallbackError/Code/missingField`` without
    ///   `ToUserName`, `FromUserName`, `MsgType` or a numeric `CreateTime`.
    public init(xml: String) throws(WeComCallbackError) {
        guard let root = WeComXMLNode.root(of: Data(xml.utf8)) else { throw WeComCallbackError(.malformedXML) }
        let fields = root.leaves
        func required(_ name: String) throws(WeComCallbackError) -> String {
            guard let value = fields[name] else { throw WeComCallbackError(.missingField, field: name) }
            return value
        }
        corpID = try required("ToUserName")
        from = try required("FromUserName")
        messageType = try required("MsgType")
        guard let time = Int(try required("CreateTime").trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw WeComCallbackError(.missingField, field: "CreateTime")
        }
        createTime = time
        agentID = fields["AgentID"].flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        self.fields = fields
        if messageType == "event" {
            kind = .event(WeComEvent(root: root, fields: fields))
        } else {
            let id = fields["MsgId"]?.trimmingCharacters(in: .whitespacesAndNewlines)
            kind = .message(id: id.flatMap { $0.isEmpty ? nil : $0 }, WeComIncomingMessage(type: messageType, fields: fields))
        }
    }

    /// The key to drop WeCom's retries by (it retries up to 3 times when it gets no HTTP 200 in
    /// 5 seconds), scoped by corp and app so one store can serve many apps.
    ///
    /// - A message: its `MsgId`, as WeCom recommends (`corp|agent|msg|MsgId`).
    /// - An event, or a message without `MsgId`: `FromUserName` + `CreateTime`, as WeCom
    ///   recommends, then `MsgType`/`Event`, `ChangeType`, `EventKey` and the event's subject
    ///   (`UserID`, `ExternalUserID`, `Id`, `TagId`, `TaskId`, `ChatId`, `StrategyId`,
    ///   `BatchJob.JobId`) where present; for an event the kit does not model, a SHA-256 of all
    ///   its fields instead. The additions are ours: system events all come from `sys` with a
    ///   one-second `CreateTime`, so two directory changes in one second would share WeCom's key.
    ///   Each part is the same in every retry (the decrypted text is), so the additions cannot
    ///   split one callback's retries.
    ///
    /// Contact and external-contact events carry no `AgentID`: a store shared by several apps of
    /// one corp should prefix the key with the receiving app's own id.
    public var dedupeKey: String {
        let scope = "\(corpID)|\(agentID.map(String.init) ?? "")"
        if case .message(let id?, _) = kind { return "\(scope)|msg|\(id)" }
        if case .event(.other) = kind {
            let all = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
            let digest = SHA256.hash(data: Data(all.utf8)).map { String(format: "%02x", $0) }.joined()
            return [scope, "event", from, String(createTime), messageType, fields["Event"] ?? "", digest].joined(separator: "|")
        }
        let parts = ["Event", "ChangeType", "EventKey", "UserID", "ExternalUserID", "Id", "TagId", "TaskId", "ChatId",
                     "StrategyId", "BatchJob.JobId", "ResponseCode"]
            .compactMap { name in fields[name].map { "\(name)=\($0)" } }
        return ([scope, "event", from, String(createTime), messageType] + parts).joined(separator: "|")
    }
}
