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
/// entry, not one per attempt. A success clears the account's counter and takes back only its own
/// count from the address's.
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
    func admit(_ keys: [String], now: Date, in work: UnitOfWork) async throws -> Admission {
        let stamp = Timestamp.milliseconds(now)
        for key in keys {
            try await work.raw("""
                INSERT INTO login_throttle (key, failures, locked_until, updated_at, refused)
                VALUES (\(bind: key), 0, 0, \(bind: stamp), 0)
                ON CONFLICT (key) DO NOTHING
                """).run()
        }
        let lock: SQLQueryString = work.engine == .postgres ? " ORDER BY key FOR UPDATE" : ""
        let rows = try await work.raw("""
            SELECT key, failures, locked_until, refused FROM login_throttle WHERE key IN (\(binds: keys))\(lock)
            """).all()
        var locked: [(key: String, until: Int64, refused: Int64)] = []
        var counters: [(key: String, failures: Int64, refused: Int64)] = []
        for row in rows {
            let key = try row.decode(column: "key", as: String.self)
            let until = try row.decode(column: "locked_until", as: Int64.self)
            let refused = try row.decode(column: "refused", as: Int64.self)
            if until > stamp { locked.append((key, until, refused)) }
            counters.append((key, try row.decode(column: "failures", as: Int64.self), refused))
        }
        if !locked.isEmpty {
            for entry in locked {
                try await work.raw("""
                    UPDATE login_throttle SET refused = refused + 1, updated_at = \(bind: stamp) WHERE key = \(bind: entry.key)
                    """).run()
            }
            let until = locked.map(\.until).max() ?? stamp
            return .refused(until: Timestamp.date(milliseconds: until), isFirstRefusal: locked.allSatisfy { $0.refused == 0 })
        }
        var refusedWhileLocked = 0
        for counter in counters {
            let failures = Int(counter.failures) + 1
            let free = Self.isAddressKey(counter.key) ? Self.freeFailuresPerAddress : Self.freeFailures
            let lockout = Self.lockout(afterFailures: failures, free: free)
            refusedWhileLocked = max(refusedWhileLocked, Int(counter.refused))
            try await work.raw("""
                UPDATE login_throttle
                SET failures = \(bind: Int64(failures)), refused = 0, updated_at = \(bind: stamp),
                    locked_until = \(bind: lockout > 0 ? stamp + lockout : 0)
                WHERE key = \(bind: counter.key)
                """).run()
        }
        return .admitted(refusedWhileLocked: refusedWhileLocked)
    }

    /// After a successful login: clears the account's counter and takes this attempt's count back
    /// from the address's (other people's failures from the address still count), lifting a lock
    /// only this attempt set.
    func succeeded(_ keys: [String], now: Date, in work: UnitOfWork) async throws {
        for key in keys {
            if Self.isAddressKey(key) {
                try await work.raw("""
                    UPDATE login_throttle
                    SET locked_until = CASE WHEN failures - 1 <= \(bind: Int64(Self.freeFailuresPerAddress)) THEN 0 ELSE locked_until END,
                        failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
                        updated_at = \(bind: Timestamp.milliseconds(now))
                    WHERE key = \(bind: key)
                    """).run()
            } else {
                try await work.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run()
            }
        }
    }

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
