/// Where a marketplace app keeps the newest `app_ticket` Lark pushed (every hour, or after a
/// resend). Feed it from the event receiver: `if let ticket = event.appTicket { await store.update(ticket) }`.
///
/// Implement it over a database so every process sees the ticket one of them received;
/// ``InMemoryLarkAppTicketStore`` keeps it in memory.
public protocol LarkAppTicketStore: Sendable {
    /// The newest ticket, if one has arrived.
    var current: String? { get async }
    /// Keeps `ticket` as the newest.
    func update(_ ticket: String) async
    /// Forgets `ticket` if it is still the newest (Lark said it is no longer valid: code 10012).
    func invalidate(_ ticket: String) async
}
