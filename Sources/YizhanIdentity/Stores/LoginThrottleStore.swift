import Foundation
import SQLKit
import YizhanStorage

/// Failed-login counters shared by every process, keyed by account and by client address.
///
/// After ``freeFailures`` failures in a row (``freeFailuresPerAddress`` for an address key, which
/// many people behind one NAT share), each further failure locks the key for twice as long as the
/// one before (1 s, 2 s, 4 s, … up to ``maximumLockout``). A success clears the keys.
public struct LoginThrottleStore: Sendable {
    /// Failures allowed on an account before the first lockout.
    public static let freeFailures = 5
    /// Failures allowed from one client address before the first lockout.
    public static let freeFailuresPerAddress = 20
    /// The longest lockout.
    public static let maximumLockout: Duration = .seconds(900)

    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The latest time any of `keys` is locked until, if it is in the future.
    public func lockedUntil(_ keys: [String], now: Date = Date()) async throws -> Date? {
        guard !keys.isEmpty else { return nil }
        let stamp = Timestamp.milliseconds(now)
        return try await database.withConnection { sql in
            let row = try await sql.raw("""
                SELECT MAX(locked_until) AS locked_until FROM login_throttle WHERE key IN (\(binds: keys))
                """).first()
            let latest = try row.flatMap { try $0.decode(column: "locked_until", as: Int64?.self) } ?? 0
            return latest > stamp ? Timestamp.date(milliseconds: latest) : nil
        }
    }

    /// Counts a failure against each key and locks those over the limit.
    public func recordFailure(_ keys: [String], now: Date = Date()) async throws {
        let stamp = Timestamp.milliseconds(now)
        try await database.transaction { sql in
            for key in keys {
                // One statement counts the failure, so concurrent failures are never lost.
                let row = try await sql.raw("""
                    INSERT INTO login_throttle (key, failures, locked_until, updated_at)
                    VALUES (\(bind: key), 1, 0, \(bind: stamp))
                    ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, updated_at = excluded.updated_at
                    RETURNING failures
                    """).first()
                let failures = Int(try row?.decode(column: "failures", as: Int64.self) ?? 1)
                let free = key.hasPrefix(Self.addressKeyPrefix) ? Self.freeFailuresPerAddress : Self.freeFailures
                let lockout = Self.lockout(afterFailures: failures, free: free)
                if lockout > 0 {
                    try await sql.raw("""
                        UPDATE login_throttle SET locked_until = \(bind: stamp + lockout) WHERE key = \(bind: key)
                        """).run()
                }
            }
        }
    }

    /// Clears the counters of `keys` (after a successful login).
    public func reset(_ keys: [String]) async throws {
        try await database.withConnection { sql in
            for key in keys { try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run() }
        }
    }

    /// The key counting failures against an account.
    public static func accountKey(tenantCode: String, email: String) -> String { "account:\(tenantCode)/\(email)" }
    /// The key counting failures from a client address.
    public static func addressKey(_ address: String) -> String { addressKeyPrefix + address }
    static let addressKeyPrefix = "address:"

    /// Milliseconds of lockout after `failures` failures in a row.
    static func lockout(afterFailures failures: Int, free: Int) -> Int64 {
        guard failures > free else { return 0 }
        let exponent = min(failures - free - 1, 20)
        let maximum = maximumLockout.components.seconds * 1000
        return min(Int64(1000) << exponent, maximum)
    }
}
