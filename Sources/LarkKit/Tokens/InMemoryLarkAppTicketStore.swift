import Foundation

/// A ``LarkAppTicketStore`` in memory: enough for one process; tickets are lost on restart (Lark
/// pushes a new one within the hour, or at once after a resend).
public actor InMemoryLarkAppTicketStore: LarkAppTicketStore {
    private var ticket: String?

    /// - Parameter ticket: A ticket to start with.
    public init(ticket: String? = nil) { self.ticket = ticket }

    /// The newest ticket, if one has arrived.
    public var current: String? { ticket }

    /// Keeps `ticket` as the newest.
    public func update(_ ticket: String) { self.ticket = ticket }

    /// Forgets the ticket (Lark said it is no longer valid: code 10012).
    public func invalidate(_ ticket: String) { if self.ticket == ticket { self.ticket = nil } }
}
