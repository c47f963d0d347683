import Foundation

/// What a Lark webhook request turned out to be.
public enum LarkInbound: Sendable, Equatable {
    /// The URL check when the request URL is saved: answer ``LarkEventReceiver/challengeResponse(_:)``.
    case urlVerification(challenge: String)
    /// An event (v1 or v2 schema), verified and decrypted.
    case event(LarkEvent)
}

/// A verified, decrypted event. `payload` is the JSON of `event` (v2) or of the whole v1 body.
public struct LarkEvent: Sendable, Equatable {
    /// `"2.0"` for v2 events, `"1.0"` for v1.
    public var schema: String
    /// The dedupe key: `header.event_id` (v2) or `uuid` (v1).
    public var eventID: String
    /// `header.event_type` (v2) or `event.type` (v1), e.g. `im.message.receive_v1`, `card.action.trigger`.
    public var eventType: String
    /// Milliseconds since 1970 (v2 `create_time`), when given.
    public var createTime: String?
    public var appID: String?
    public var tenantKey: String?
    /// The event's own JSON.
    public var payload: Data

    /// The payload decoded as `T` (e.g. ``LarkCardAction``).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: payload)
    }
}
