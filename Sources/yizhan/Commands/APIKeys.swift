import ArgumentParser
import Foundation
import YizhanCore
import YizhanIdentity

/// `yizhan api-keys create|revoke`.
struct APIKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-keys", abstract: "Create and revoke API keys.", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key; its secret is printed once.")

        @OptionGroup var options: ConfigOptions
        @Option(help: "The tenant's code.") var tenant: String
        @Option var name: String
        @Option(name: .customLong("permission"), help: "A permission (repeat for several), e.g. messages:send.") var permissions: [String]
        @Option(name: .customLong("expires-in-days"), help: "Days until the key expires (never if omitted).") var expiresInDays: Int?

        func run() async throws {
            let expiresAt = expiresInDays.map { Date().addingTimeInterval(Double($0) * 86_400) }
            let (code, name, permissions) = (tenant, name, permissions)
            try await AdminCommand.run(options) { identity in
                let tenant = try await AdminCommand.tenant(code, in: identity)
                let (key, secret) = try await identity.apiKeys.create(
                    tenantID: tenant.id, name: name, permissions: permissions, expiresAt: expiresAt)
                print("api key \(key.id) prefix=\(key.prefix) permissions=\(key.permissions.sorted().map(\.rawValue).joined(separator: ","))")
                print("key (shown once): \(secret)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key; it is refused within a second.")

        @OptionGroup var options: ConfigOptions
        @Option(help: "The tenant's code.") var tenant: String
        @Option var id: String

        func run() async throws {
            let (code, id) = (tenant, id)
            try await AdminCommand.run(options) { identity in
                let tenant = try await AdminCommand.tenant(code, in: identity)
                let key = try await identity.apiKeys.revoke(id: id, tenantID: tenant.id)
                print("revoked \(key.id) (\(key.name))")
            }
        }
    }
}
