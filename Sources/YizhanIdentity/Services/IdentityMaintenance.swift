import Foundation
import YizhanCore
import YizhanStorage

/// Deletes what identity tables would otherwise keep forever: expired refresh tokens, idle login
/// throttle counters and audit entries past their retention. Run on a schedule by the job queue.
package struct IdentityMaintenance: Sendable {
    /// What one run deleted.
    package struct Report: Sendable, Equatable {
        package var refreshTokens = 0
        package var throttleCounters = 0
        package var auditEntries = 0
    }

    private let database: any Database
    private let clock: any TimeSource

    init(database: any Database, clock: any TimeSource) {
        self.database = database
        self.clock = clock
    }

    /// Deletes expired refresh tokens, throttle counters idle past their decay, and audit entries
    /// older than `auditRetention` (kept forever when `nil`), in batches of `batch` rows.
    @discardableResult
    package func prune(auditRetention: Duration?, batch: Int = 10_000) async throws -> Report {
        let now = clock.now()
        var report = Report()
        report.refreshTokens = try await database.transaction { work in
            try await RefreshTokenStore().deleteExpired(before: now, in: work)
        }
        let idleSince = now.addingTimeInterval(-Double(LoginThrottleStore.decayAfter.components.seconds))
        report.throttleCounters = try await database.transaction { work in
            try await LoginThrottleStore().purge(before: Timestamp.milliseconds(idleSince), in: work)
        }
        if let auditRetention {
            let cutoff = now.addingTimeInterval(-Double(auditRetention.components.seconds))
            while true {
                let deleted = try await database.transaction { work in
                    try await AuditLogStore().deleteOlder(than: cutoff, limit: batch, in: work)
                }
                report.auditEntries += deleted
                if deleted < batch { break }
            }
        }
        return report
    }
}
