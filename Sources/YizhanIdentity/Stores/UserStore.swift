import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// Users of one tenant at a time: every method takes the tenant, so no query can cross tenants.
struct UserStore {
    /// Inserts a new user; `CONFLICT` when a live user of the tenant has the email.
    func insert(_ user: User, passwordHash: String, in work: UnitOfWork) async throws {
        try await ensureEmailFree(user.email, tenantID: user.tenantID, except: nil, in: work)
        try await work.raw("""
            INSERT INTO users (id, tenant_id, email, name, password_hash, roles, created_at, updated_at, password_changed_at)
            VALUES (\(bind: user.id), \(bind: user.tenantID), \(bind: user.email), \(bind: user.name), \(bind: passwordHash),
                    \(bind: StoredJSON.encode(user.roles)), \(bind: Timestamp.milliseconds(user.createdAt)),
                    \(bind: Timestamp.milliseconds(user.updatedAt)), \(bind: Timestamp.milliseconds(user.passwordChangedAt)))
            """).run()
    }

    /// The live user `id` of the tenant.
    func user(id: String, tenantID: String, in work: UnitOfWork) async throws -> User? {
        try await work.raw("""
            SELECT * FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
            """).first().map(Self.decode)
    }

    /// The live user with `email` in the tenant and their password hash, for login.
    func credentials(email: String, tenantID: String, in work: UnitOfWork) async throws -> (user: User, passwordHash: String)? {
        guard let row = try await work.raw("""
            SELECT * FROM users WHERE email = \(bind: email) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
            """).first() else { return nil }
        return (try Self.decode(row), try row.decode(column: "password_hash", as: String.self))
    }

    /// The live user `id` of the tenant and their password hash, to check a password change.
    func credentials(id: String, tenantID: String, in work: UnitOfWork) async throws -> (user: User, passwordHash: String)? {
        guard let row = try await work.raw("""
            SELECT * FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
            """).first() else { return nil }
        return (try Self.decode(row), try row.decode(column: "password_hash", as: String.self))
    }

    /// The tenant's live users whose email or name contains `search`, by email.
    func list(tenantID: String, search: String?, role: String?, page: PageRequest, in work: UnitOfWork) async throws -> Page<User> {
        var filter: SQLQueryString = "tenant_id = \(bind: tenantID) AND deleted_at IS NULL"
        if let search, !search.isEmpty {
            let pattern = containsPattern(search)
            filter += " AND (LOWER(email) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(name) LIKE \(bind: pattern) ESCAPE '\\')"
        }
        if let role, !role.isEmpty {
            filter += " AND roles LIKE \(bind: containsPattern("\"" + role + "\"")) ESCAPE '\\'"
        }
        let total = try await work.raw("SELECT COUNT(*) AS n FROM users WHERE \(filter)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await work.raw("""
            SELECT * FROM users WHERE \(filter) ORDER BY email
            LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(Self.decode), total: total, page: page.page, pageSize: page.pageSize)
    }

    /// Applies `changes` to the live user; `nil` when there is none. `CONFLICT` on a taken email, or
    /// when it would take the role `owner` from the tenant's last owner (run it in a transaction
    /// that locked the tenant: ``TenantStore/lock(id:in:)``).
    func update(id: String, tenantID: String, _ changes: UserChanges, now: Date, in work: UnitOfWork) async throws -> User? {
        guard var user = try await user(id: id, tenantID: tenantID, in: work) else { return nil }
        if let email = changes.email, email != user.email {
            try await ensureEmailFree(email, tenantID: tenantID, except: id, in: work)
            user.email = email
        }
        if let name = changes.name { user.name = name }
        if let roles = changes.roles {
            if user.roles.contains(Self.owner) && !roles.contains(Self.owner) {
                try await ensureAnotherOwner(besides: id, tenantID: tenantID, in: work)
            }
            user.roles = roles
        }
        user.updatedAt = now
        try await work.raw("""
            UPDATE users SET email = \(bind: user.email), name = \(bind: user.name),
                roles = \(bind: StoredJSON.encode(user.roles)), updated_at = \(bind: Timestamp.milliseconds(now))
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
            """).run()
        return user
    }

    /// Replaces the password hash and stamps the change; `false` when there is no such live user.
    func setPasswordHash(_ hash: String, id: String, tenantID: String, now: Date, in work: UnitOfWork) async throws -> Bool {
        let stamp = Timestamp.milliseconds(now)
        return try await !work.raw("""
            UPDATE users SET password_hash = \(bind: hash), password_changed_at = \(bind: stamp), updated_at = \(bind: stamp)
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
            RETURNING id
            """).all().isEmpty
    }

    /// Marks the live user deleted; `false` when there is none. The email becomes free again.
    /// `CONFLICT` for the tenant's last owner (run it in a transaction that locked the tenant).
    func softDelete(id: String, tenantID: String, now: Date, in work: UnitOfWork) async throws -> Bool {
        guard let user = try await user(id: id, tenantID: tenantID, in: work) else { return false }
        if user.roles.contains(Self.owner) {
            try await ensureAnotherOwner(besides: id, tenantID: tenantID, in: work)
        }
        let stamp = Timestamp.milliseconds(now)
        try await work.raw("""
            UPDATE users SET deleted_at = \(bind: stamp), updated_at = \(bind: stamp)
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
            """).run()
        return true
    }

    /// Locks the user's row until the transaction ends (PostgreSQL), so that changes of one user (a
    /// refresh, a revocation, a role or password change) run one after the other. `FOR NO KEY
    /// UPDATE`, not `FOR UPDATE`: inserts that reference the row (a session, a key) take a key-share
    /// lock, which `FOR UPDATE` would block and deadlock against. SQLite's write lock does it already.
    func lock(id: String, in work: UnitOfWork) async throws {
        guard work.engine == .postgres else { return }
        try await work.raw("SELECT id FROM users WHERE id = \(bind: id) FOR NO KEY UPDATE").run()
    }

    private static let owner = BuiltInRole.owner.rawValue

    /// `CONFLICT` unless a live user of the tenant other than `id` is an owner: a tenant always
    /// keeps one.
    private func ensureAnotherOwner(besides id: String, tenantID: String, in work: UnitOfWork) async throws {
        guard try await count(holding: Self.owner, tenantID: tenantID, except: id, in: work) > 0 else {
            throw YizhanError(.conflict, "The tenant's last owner cannot be removed; make another owner first.")
        }
    }

    /// How many live users of the tenant hold `role`, leaving out user `excluded`.
    func count(holding role: String, tenantID: String, except excluded: String? = nil, in work: UnitOfWork) async throws -> Int {
        var query: SQLQueryString = """
            SELECT COUNT(*) AS n FROM users
            WHERE tenant_id = \(bind: tenantID) AND deleted_at IS NULL
                AND roles LIKE \(bind: containsPattern("\"" + role + "\"")) ESCAPE '\\'
            """
        if let excluded { query += " AND id <> \(bind: excluded)" }
        return try await work.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    private func ensureEmailFree(_ email: String, tenantID: String, except id: String?, in work: UnitOfWork) async throws {
        let existing = try await work.raw("""
            SELECT id FROM users WHERE email = \(bind: email) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
            """).first()
        if let existing, try existing.decode(column: "id", as: String.self) != id {
            throw UserService.emailTaken
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
