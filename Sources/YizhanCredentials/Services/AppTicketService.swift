import Foundation
import YizhanCore
import YizhanIdentity
import YizhanStorage

/// The app_tickets of the tenant's marketplace apps: Lark pushes one every hour (and after a
/// resend) to the app's event URL; the pool buys the app's tokens with the newest. Each is kept
/// sealed in the database, newest wins, so every process uses the one any of them received.
package struct AppTicketService: Sendable {
    private let database: any Database
    private let audit: AuditLog
    private let pool: TokenPool
    private let store = AppStore()

    init(database: any Database, audit: AuditLog, pool: TokenPool) {
        self.database = database
        self.audit = audit
        self.pool = pool
    }

    /// Keeps a ticket an operator gives (`POST /api/v1/apps/{id}/app-ticket`), audited without it.
    /// - Throws: `VALIDATION_ERROR` for a malformed ticket or an app that is not `lark_marketplace`;
    ///   `NOT_FOUND`; `APP_DISABLED`; `MASTER_KEY_MISSING`.
    package func store(_ ticket: String, appID: String, tenantID: String) async throws {
        try await keep(ticket, appID: appID, tenantID: tenantID, audited: true)
    }

    /// Keeps a ticket Lark pushed in an `app_ticket` event, for the callback receiver (which has
    /// checked the event's signature). Not audited: one arrives every hour.
    /// - Throws: As ``store(_:appID:tenantID:)``.
    package func receive(_ ticket: String, appID: String, tenantID: String) async throws {
        try await keep(ticket, appID: appID, tenantID: tenantID, audited: false)
    }

    private func keep(_ ticket: String, appID: String, tenantID: String, audited: Bool) async throws {
        let ticket = try Self.check(ticket)
        try await database.transaction { work in
            guard let app = try await store.app(id: appID, tenantID: tenantID, in: work) else { throw AppService.notFound(appID) }
            guard app.provider == .larkMarketplace else {
                throw YizhanError(
                    .validationError, "App \(appID) is a \(app.provider.rawValue) app: only lark_marketplace apps take an app_ticket.",
                    details: ["field": .string("provider")], status: 422)
            }
            guard app.status == .active else {
                throw YizhanError(.appDisabled, "ProviderApp \(appID) is disabled.", details: ["app_id": .string(appID)])
            }
            try await pool.keepAppTicket(ticket, appID: appID, in: work)
            if audited {
                try await audit.record(
                    "app.app_ticket.store", tenantID: tenantID, target: .init("app", appID),
                    details: ["provider": app.provider.rawValue, "app_id": app.identifiers["app_id"] ?? ""], in: work)
            }
        }
        pool.endPauses(appID: appID)
    }

    /// A ticket as Lark writes them: 1 to 1,024 visible ASCII characters.
    static func check(_ ticket: String) throws(YizhanError) -> String {
        guard (1...1024).contains(ticket.utf8.count), ticket.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw InputRules.invalid("app_ticket", "must be 1 to 1024 visible ASCII characters")
        }
        return ticket
    }
}
