import Foundation
import SQLKit
import YizhanStorage

/// `job_leaders` and `job_cron`: a lease row per singleton, and the last tick of each periodic job.
struct LeaderStore {
    /// Takes or keeps the lease on `name` for `holder` until `until`, if it is free, expired or
    /// already `holder`'s. Returns whether `holder` holds it now.
    func acquire(_ name: String, holder: String, now: Date, until: Date, in work: UnitOfWork) async throws -> Bool {
        let row = try await work.raw("""
            INSERT INTO job_leaders (name, holder, expires_at)
            VALUES (\(bind: name), \(bind: holder), \(bind: Timestamp.milliseconds(until)))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE job_leaders.holder = excluded.holder OR job_leaders.expires_at < \(bind: Timestamp.milliseconds(now))
            RETURNING holder
            """).first()
        return row != nil
    }

    /// Gives the lease up (on shutdown), so another process leads at once.
    func release(_ name: String, holder: String, in work: UnitOfWork) async throws {
        try await work.raw("DELETE FROM job_leaders WHERE name = \(bind: name) AND holder = \(bind: holder)").run()
    }

    /// The last tick `name` ran for, creating its row at `initial` the first time.
    func lastTick(_ name: String, initial: Date, in work: UnitOfWork) async throws -> Date {
        try await work.raw("""
            INSERT INTO job_cron (name, last_tick) VALUES (\(bind: name), \(bind: Timestamp.milliseconds(initial)))
            ON CONFLICT (name) DO NOTHING
            """).run()
        let stored = try await work.raw("SELECT last_tick FROM job_cron WHERE name = \(bind: name)").first()?
            .decode(column: "last_tick", as: Int64.self)
        return stored.map(Timestamp.date(milliseconds:)) ?? initial
    }

    /// Moves `name` from tick `from` to `to`; false when another process moved it first.
    func advance(_ name: String, from: Date, to: Date, in work: UnitOfWork) async throws -> Bool {
        try await !work.raw("""
            UPDATE job_cron SET last_tick = \(bind: Timestamp.milliseconds(to))
            WHERE name = \(bind: name) AND last_tick = \(bind: Timestamp.milliseconds(from)) RETURNING name
            """).all().isEmpty
    }
}
