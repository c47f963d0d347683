import Foundation
import SQLKit
import YizhanStorage

/// Failed-login counters shared by every process, keyed by account and by client address.
///
/// Every attempt is counted before its password is checked (``admit(_:now:in:)``), so N concurrent
/// guesses count N. After ``freeFailures`` attempts in a row (``freeFailuresPerAddress`` for an
/// address, which many people behind one NAT share), each further attempt locks the key for twice as
/// long as the one before (1 s, 2 s, 4 s, … up to ``maximumLockout``). Attempts while a key is locked
/// are refused without a password check and only counted (`refused`), so a lockout leaves one audit
/// entry, not one per attempt. A success clears the account's counter only; counters idle for an
/// hour start again from zero.
struct LoginThrottleStore {
    /// Attempts allowed on an account before the first lockout.
    static let freeFailures = 5
    /// Attempts allowed from one client address before the first lockout.
    static let freeFailuresPerAddress = 20
    /// The longest lockout.
    static let maximumLockout: Duration = .seconds(900)

    /// What counting an attempt decided.
    enum Admission: Sendable, Equatable {
        /// Check the password. `refusedWhileLocked` attempts were refused during the lockout that
        /// ended before this one (to be reported once, with this attempt).
        case admitted(refusedWhileLocked: Int)
        /// A key is locked until `until`; `isFirstRefusal` when no attempt was refused in this
        /// lockout before (the one to audit).
        case refused(until: Date, isFirstRefusal: Bool)
    }

    /// Counts an attempt against every key, or refuses it when one of them is locked. Run it in a
    /// transaction of its own, committed before the password is checked.
    ///
    /// Each key's row is created or locked by one statement (`ON CONFLICT DO UPDATE` locks the row
    /// on PostgreSQL; SQLite holds the write lock), in key order, so concurrent attempts count
    /// exactly and never deadlock. A key idle for ``decayAfter`` starts counting again from zero.
    func admit(_ keys: [String], now: Date, in work: UnitOfWork) async throws -> Admission {
        let stamp = Timestamp.milliseconds(now)
        var rows: [(key: String, failures: Int64, until: Int64, refused: Int64, updated: Int64)] = []
        for key in keys.sorted() {
            let row = try await work.raw("""
                INSERT INTO login_throttle (key, failures, locked_until, updated_at, refused)
                VALUES (\(bind: key), 0, 0, \(bind: stamp), 0)
                ON CONFLICT (key) DO UPDATE SET key = excluded.key
                RETURNING failures, locked_until, refused, updated_at
                """).first()
            guard let row else { continue }
            rows.append((
                key, try row.decode(column: "failures", as: Int64.self), try row.decode(column: "locked_until", as: Int64.self),
                try row.decode(column: "refused", as: Int64.self), try row.decode(column: "updated_at", as: Int64.self)))
        }
        let locked = rows.filter { $0.until > stamp }
        if !locked.isEmpty {
            for entry in locked {
                try await work.raw("""
                    UPDATE login_throttle SET refused = refused + 1 WHERE key = \(bind: entry.key)
                    """).run()
            }
            let until = locked.map(\.until).max() ?? stamp
            return .refused(until: Timestamp.date(milliseconds: until), isFirstRefusal: locked.allSatisfy { $0.refused == 0 })
        }
        var refusedWhileLocked = 0
        let decay = Int64(Self.decayAfter.components.seconds) * 1000
        for row in rows {
            let previous = stamp - row.updated > decay ? 0 : Int(row.failures)
            let failures = previous + 1
            let free = Self.isAddressKey(row.key) ? Self.freeFailuresPerAddress : Self.freeFailures
            let lockout = Self.lockout(afterFailures: failures, free: free)
            refusedWhileLocked = max(refusedWhileLocked, Int(row.refused))
            try await work.raw("""
                UPDATE login_throttle
                SET failures = \(bind: Int64(failures)), refused = 0, updated_at = \(bind: stamp),
                    locked_until = \(bind: lockout > 0 ? stamp + lockout : 0)
                WHERE key = \(bind: row.key)
                """).run()
        }
        if Int.random(in: 0..<Self.purgeOneIn) == 0 { try await purge(before: stamp - decay, in: work) }
        return .admitted(refusedWhileLocked: refusedWhileLocked)
    }

    /// After a successful login: clears the account's counter. The address's counter is left as
    /// it is (a success must not buy more guesses from the same address); it decays with time.
    func succeeded(_ keys: [String], in work: UnitOfWork) async throws {
        for key in keys where !Self.isAddressKey(key) {
            try await work.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run()
        }
    }

    /// Deletes counters idle since before `cutoff` and not locked, so rows for made-up accounts do
    /// not pile up.
    @discardableResult
    func purge(before cutoff: Int64, in work: UnitOfWork) async throws -> Int {
        try await work.raw("""
            DELETE FROM login_throttle WHERE updated_at < \(bind: cutoff) AND locked_until < \(bind: cutoff) RETURNING key
            """).all().count
    }

    /// A key idle this long counts from zero again, so failures spread over days never lock a
    /// shared address.
    static let decayAfter: Duration = .seconds(3600)
    /// One admitted attempt in this many also purges idle counters.
    static let purgeOneIn = 200

    /// The key counting attempts against an account.
    static func accountKey(tenantCode: String, email: String) -> String { "account:\(tenantCode)/\(email)" }
    /// The key counting attempts from a client address.
    static func addressKey(_ address: String) -> String { addressKeyPrefix + address }
    /// The key counting password-change attempts of a user (`POST /me/password`).
    static func passwordChangeKey(userID: String) -> String { "password:\(userID)" }
    static let addressKeyPrefix = "address:"

    static func isAddressKey(_ key: String) -> Bool { key.hasPrefix(addressKeyPrefix) }

    /// Milliseconds of lockout after `failures` attempts in a row.
    static func lockout(afterFailures failures: Int, free: Int) -> Int64 {
        guard failures > free else { return 0 }
        let exponent = min(failures - free - 1, 20)
        let maximum = maximumLockout.components.seconds * 1000
        return min(Int64(1000) << exponent, maximum)
    }
}
