import SQLKit
import YizhanStorage

/// The sealed secrets of every tenant's apps (`apps.secrets`), by app id.
struct AppSecretsColumn: SealedColumn {
    func page(after id: String?, limit: Int, in work: UnitOfWork) async throws -> [SealedValue<String>] {
        try await work.raw("""
            SELECT id, secrets FROM apps WHERE id > \(bind: id ?? "") ORDER BY id LIMIT \(bind: limit)
            """).all().map(Self.decode)
    }

    func value(_ id: String, in work: UnitOfWork) async throws -> SealedValue<String>? {
        try await work.raw("SELECT id, secrets FROM apps WHERE id = \(bind: id)").first().map(Self.decode)
    }

    func replace(_ value: SealedValue<String>, with resealed: String, in work: UnitOfWork) async throws -> Bool {
        try await !work.raw("""
            UPDATE apps SET secrets = \(bind: resealed) WHERE id = \(bind: value.key) AND secrets = \(bind: value.sealed) RETURNING id
            """).all().isEmpty
    }

    private static func decode(_ row: any SQLRow) throws -> SealedValue<String> {
        let id = try row.decode(column: "id", as: String.self)
        return SealedValue(key: id, sealed: try row.decode(column: "secrets", as: String.self), purpose: SecretSealer.purpose(id))
    }
}
