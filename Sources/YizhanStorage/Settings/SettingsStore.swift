#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLKit

/// Instance-wide key-value settings (the instance id, first start time, …), on either engine.
package struct SettingsStore: Sendable {
    /// The longest key accepted.
    package static let maximumKeyLength = 200

    private let database: any Database

    package init(database: any Database) {
        self.database = database
    }

    /// The value of `key`, or `nil`.
    package func value(for key: String) async throws -> String? {
        try await setting(for: key)?.value
    }

    /// The setting stored under `key`, or `nil`.
    package func setting(for key: String) async throws -> Setting? {
        try await database.withConnection { connection in
            try await connection.raw("SELECT key, value, updated_at FROM settings WHERE key = \(bind: key)")
                .first()
                .map(Self.decode)
        }
    }

    /// Stores `value` under `key`, replacing any earlier value.
    package func set(_ value: String, for key: String) async throws {
        try Self.validate(key)
        try await database.withConnection { connection in
            try await connection.raw("""
                INSERT INTO settings (key, value, updated_at)
                VALUES (\(bind: key), \(bind: value), \(bind: Timestamp.nowMilliseconds()))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// Stores `value` under `key` unless a value is there already; returns the value that is stored
    /// afterwards. Concurrent callers all get the same winner.
    package func valueSettingIfAbsent(_ value: String, for key: String) async throws -> String {
        try Self.validate(key)
        return try await database.withConnection { connection in
            try await connection.raw("""
                INSERT INTO settings (key, value, updated_at)
                VALUES (\(bind: key), \(bind: value), \(bind: Timestamp.nowMilliseconds()))
                ON CONFLICT (key) DO NOTHING
                """).run()
            let row = try await connection.raw("SELECT value FROM settings WHERE key = \(bind: key)").first()
            return try row?.decode(column: "value", as: String.self) ?? value
        }
    }

    /// Replaces the value of `key` only if it is `expected` now; returns whether it did.
    package func replace(_ key: String, expected: String, with value: String) async throws -> Bool {
        try await database.withConnection { connection in
            try await !connection.raw("""
                UPDATE settings SET value = \(bind: value), updated_at = \(bind: Timestamp.nowMilliseconds())
                WHERE key = \(bind: key) AND value = \(bind: expected)
                RETURNING key
                """).all().isEmpty
        }
    }

    /// Removes `key`; returns whether it existed.
    @discardableResult
    package func remove(_ key: String) async throws -> Bool {
        try await database.withConnection { connection in
            let rows = try await connection.raw("DELETE FROM settings WHERE key = \(bind: key) RETURNING key").all()
            return !rows.isEmpty
        }
    }

    /// Every setting, ordered by key.
    package func all() async throws -> [Setting] {
        try await database.withConnection { connection in
            try await connection.raw("SELECT key, value, updated_at FROM settings ORDER BY key").all().map(Self.decode)
        }
    }

    private static func decode(_ row: any SQLRow) throws -> Setting {
        Setting(
            key: try row.decode(column: "key", as: String.self),
            value: try row.decode(column: "value", as: String.self),
            updatedAt: Timestamp.date(milliseconds: try row.decode(column: "updated_at", as: Int64.self))
        )
    }

    private static func validate(_ key: String) throws {
        guard !key.isEmpty, key.utf8.count <= maximumKeyLength else {
            throw SettingsError.invalidKey
        }
    }
}

/// A setting key that is empty or longer than ``SettingsStore/maximumKeyLength``.
package enum SettingsError: Error, Sendable, Equatable {
    case invalidKey
}
