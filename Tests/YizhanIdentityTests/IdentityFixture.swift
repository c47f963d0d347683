import Foundation
import YizhanCore
import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// What Identity's tests migrate: storage's settings and Identity's own schema.
let identityMigrations = SettingsSchema.migrations + IdentitySchema.migrations

/// An identity layer on a test database, with a cheap bcrypt cost, known signing keys and a clock
/// the test moves.
struct IdentityFixture: Sendable {
    static let password = "correct horse battery"
    static let keys = try! SigningKey.parseList("k1:0123456789abcdef0123456789abcdef,k0:fedcba9876543210fedcba9876543210")
    /// A fixed master key for tests of the stored signing key.
    static let vault = try! SecretVault(masterKeys: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")

    let database: any Database
    let identity: Identity
    let clock: ManualTimeSource

    init(
        database: any Database, keys: [SigningKey] = IdentityFixture.keys, accessTTL: Duration = .seconds(900),
        clock: ManualTimeSource = ManualTimeSource(start: Date())
    ) {
        self.database = database
        self.clock = clock
        self.identity = Identity(
            database: database,
            configuration: IdentityConfiguration(signingKeys: keys, accessTokenLifetime: accessTTL, bcryptCost: 4),
            keyVault: Self.vault, clock: clock)
    }

    /// A tenant with an owner whose email is `owner@<code>.test`.
    func tenant(_ code: String, quotas: TenantQuotas = TenantQuotas()) async throws -> (tenant: Tenant, owner: User) {
        let created = try await identity.tenants.create(
            code: code, name: "Tenant \(code)", quotas: quotas,
            owner: .init(email: "owner@\(code).test", password: Self.password))
        return (created.tenant, created.owner!)
    }

    /// Logs the user in and resolves the principal of the access token.
    func login(_ code: String, _ email: String, password: String = IdentityFixture.password) async throws -> (pair: TokenPair, principal: Principal) {
        let pair = try await identity.auth.login(tenantCode: code, email: email, password: password)
        return (pair, try await identity.principals.resolve(pair.accessToken))
    }
}
