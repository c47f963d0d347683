import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// Users of one tenant at a time: every method takes the tenant, so no query can cross tenants.
public struct UserStore: Sendable {
    /// The fields a `PATCH` may change; `nil` leaves a field as it is.
    public struct Changes: Sendable {
        public var email: String?
        public var name: String?
        public var roles: [String]?

        public init(email: String? = nil, name: String? = nil, roles: [String]? = nil) {
            self.email = email
            self.name = name
            self.roles = roles
        }
    }

    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Creates a user; `CONFLICT` when a live user of the tenant has the email.
    public func create(
        tenantID: String, email: String, name: String, passwordHash: String, roles: [String],
        on connection: (any SQLDatabase)? = nil
    ) async throws -> User {
        let now = Date()
        let user = User(
            id: IdentityID.make("usr"), tenantID: tenantID, email: email, name: name, roles: roles,
            createdAt: now, updatedAt: now, passwordChangedAt: now)
        let insert: @Sendable (any SQLDatabase) async throws -> Void = { sql in
            try await Self.ensureEmailFree(email, tenantID: tenantID, except: nil, sql)
            let stamp = Timestamp.milliseconds(now)
            try await sql.raw("""
                INSERT INTO users (id, tenant_id, email, name, password_hash, roles, created_at, updated_at, password_changed_at)
                VALUES (\(bind: user.id), \(bind: tenantID), \(bind: email), \(bind: name), \(bind: passwordHash),
                        \(bind: StoredJSON.encode(roles)), \(bind: stamp), \(bind: stamp), \(bind: stamp))
                """).run()
        }
        if let connection {
            try await insert(connection)
        } else {
            try await UniqueTransaction.run(in: database, insert)
        }
        return user
    }

    /// The live user `id` of the tenant.
    public func user(id: String, tenantID: String) async throws -> User? {
        try await database.withConnection { sql in
            try await sql.raw("""
                SELECT * FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                """).first().map(Self.decode)
        }
    }

    /// The live user with `email` in the tenant and their password hash, for login.
    public func credentials(email: String, tenantID: String) async throws -> (user: User, passwordHash: String)? {
        try await database.withConnection { sql in
            guard let row = try await sql.raw("""
                SELECT * FROM users WHERE email = \(bind: email) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                """).first() else { return nil }
            return (try Self.decode(row), try row.decode(column: "password_hash", as: String.self))
        }
    }

    /// The live user `id` of the tenant and their password hash, to check a password change.
    public func credentials(id: String, tenantID: String) async throws -> (user: User, passwordHash: String)? {
        try await database.withConnection { sql in
            guard let row = try await sql.raw("""
                SELECT * FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                """).first() else { return nil }
            return (try Self.decode(row), try row.decode(column: "password_hash", as: String.self))
        }
    }

    /// The tenant's live users whose email or name contains `search`, by email.
    public func list(tenantID: String, search: String?, role: String?, page: PageRequest) async throws -> Page<User> {
        var filter: SQLQueryString = "tenant_id = \(bind: tenantID) AND deleted_at IS NULL"
        if let search, !search.isEmpty {
            let pattern = containsPattern(search)
            filter += " AND (LOWER(email) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(name) LIKE \(bind: pattern) ESCAPE '\\')"
        }
        if let role, !role.isEmpty {
            filter += " AND roles LIKE \(bind: containsPattern("\"" + role + "\"")) ESCAPE '\\'"
        }
        return try await database.withConnection { [filter] sql in
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM users WHERE \(filter)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let rows = try await sql.raw("""
                SELECT * FROM users WHERE \(filter) ORDER BY email
                LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
                """).all()
            return Page(items: try rows.map(Self.decode), total: total, page: page.page, pageSize: page.pageSize)
        }
    }

    /// Applies `changes` to the live user; `nil` when there is none. `CONFLICT` on a taken email.
    public func update(id: String, tenantID: String, _ changes: Changes) async throws -> User? {
        let engine = database.engine
        return try await database.transaction { sql in
            if changes.roles != nil { try await Self.lockOwners(of: tenantID, sql, engine) }
            guard var user = try await sql.raw("""
                SELECT * FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                """).first().map(Self.decode) else { return nil }
            if let email = changes.email, email != user.email {
                try await Self.ensureEmailFree(email, tenantID: tenantID, except: id, sql)
                user.email = email
            }
            if let name = changes.name { user.name = name }
            if let roles = changes.roles {
                if user.roles.contains(Self.owner) && !roles.contains(Self.owner) {
                    try await Self.ensureAnotherOwner(besides: id, tenantID: tenantID, sql)
                }
                user.roles = roles
            }
            user.updatedAt = Date()
            try await sql.raw("""
                UPDATE users SET email = \(bind: user.email), name = \(bind: user.name),
                    roles = \(bind: StoredJSON.encode(user.roles)), updated_at = \(bind: Timestamp.milliseconds(user.updatedAt))
                WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
                """).run()
            return user
        }
    }

    /// Replaces the password hash and stamps the change; `false` when there is no such live user.
    public func setPasswordHash(_ hash: String, id: String, tenantID: String) async throws -> Bool {
        let now = Timestamp.nowMilliseconds()
        return try await database.withConnection { sql in
            try await !sql.raw("""
                UPDATE users SET password_hash = \(bind: hash), password_changed_at = \(bind: now), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                RETURNING id
                """).all().isEmpty
        }
    }

    /// Marks the live user deleted; `false` when there is none. The email becomes free again.
    public func softDelete(id: String, tenantID: String) async throws -> Bool {
        let now = Timestamp.nowMilliseconds()
        let engine = database.engine
        return try await database.transaction { sql in
            try await Self.lockOwners(of: tenantID, sql, engine)
            guard let row = try await sql.raw("""
                SELECT roles FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                """).first() else { return false }
            if try StoredJSON.decode([String].self, from: row.decode(column: "roles", as: String.self)).contains(Self.owner) {
                try await Self.ensureAnotherOwner(besides: id, tenantID: tenantID, sql)
            }
            try await sql.raw("""
                UPDATE users SET deleted_at = \(bind: now), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
                """).run()
            return true
        }
    }

    private static let owner = BuiltInRole.owner.rawValue

    /// Serialises changes to the tenant's owners until the transaction ends, so "another owner
    /// remains" stays true when the change commits. PostgreSQL locks the tenant's row; SQLite's
    /// transactions hold the database's write lock from their start (`BEGIN IMMEDIATE`).
    private static func lockOwners(of tenantID: String, _ sql: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        guard engine == .postgres else { return }
        try await sql.raw("SELECT id FROM tenants WHERE id = \(bind: tenantID) FOR UPDATE").run()
    }

    /// `CONFLICT` unless a live user of the tenant other than `id` is an owner: a tenant always
    /// keeps one.
    private static func ensureAnotherOwner(besides id: String, tenantID: String, _ sql: any SQLDatabase) async throws {
        guard try await count(holding: owner, tenantID: tenantID, except: id, sql) > 0 else {
            throw YizhanError(.conflict, "The tenant's last owner cannot be removed; make another owner first.")
        }
    }

    /// How many live users of the tenant hold `role`.
    public func count(holding role: String, tenantID: String) async throws -> Int {
        try await database.withConnection { sql in try await Self.count(holding: role, tenantID: tenantID, except: nil, sql) }
    }

    /// How many live users of the tenant hold `role`, leaving out user `excluded`, on `sql`.
    private static func count(
        holding role: String, tenantID: String, except excluded: String?, _ sql: any SQLDatabase
    ) async throws -> Int {
        var query: SQLQueryString = """
            SELECT COUNT(*) AS n FROM users
            WHERE tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                AND roles LIKE \(bind: containsPattern("\"" + role + "\"")) ESCAPE '\\'
            """
        if let excluded { query += " AND id <> \(bind: excluded)" }
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    private static func ensureEmailFree(_ email: String, tenantID: String, except id: String?, _ sql: any SQLDatabase) async throws {
        let existing = try await sql.raw("""
            SELECT id FROM users WHERE email = \(bind: email) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
            """).first()
        if let existing, try existing.decode(column: "id", as: String.self) != id {
            throw YizhanError(.conflict, "A user with this email exists in the tenant.", details: ["field": "email"])
        }
    }

    static func decode(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            roles: try StoredJSON.decode([String].self, from: try row.decode(column: "roles", as: String.self)),
            createdAt: Timestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp.date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            passwordChangedAt: Timestamp.date(milliseconds: try row.decode(column: "password_changed_at", as: Int64.self)))
    }
}
