import Foundation

/// The newest `app_ticket` Lark pushed to a marketplace app (every hour, or after a resend).
/// Feed it from the event receiver: `if let ticket = event.appTicket { await store.update(ticket) }`.
/// Yizhan keeps tickets in its database so every process sees them; this one is in memory.
public actor LarkAppTicketStore {
    private var ticket: String?

    public init(ticket: String? = nil) { self.ticket = ticket }

    /// The newest ticket, if one has arrived.
    public var current: String? { ticket }

    public func update(_ ticket: String) { self.ticket = ticket }

    /// Forgets the ticket (Lark said it is no longer valid: code 10012).
    public func invalidate(_ ticket: String) { if self.ticket == ticket { self.ticket = nil } }
}

extension LarkEvent {
    /// The ticket of an `app_ticket` event (v1: `event.app_ticket`), else nil.
    public var appTicket: String? {
        guard eventType == "app_ticket", let object = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any] else {
            return nil
        }
        let event = object["event"] as? [String: Any] ?? object
        return event["app_ticket"] as? String
    }
}
