import ArgumentParser
import Foundation
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanServer

/// `yizhan apps add|list|show|verify|disable|enable|remove`: a tenant's provider apps and robots,
/// over the same services as `/api/v1/apps`. Secrets are read from a file, standard input or a
/// prompt, never from a flag. (The audit entries of the command line have no actor: they read
/// `system`.)
struct AppsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps", abstract: "Register, list, check, disable and remove a tenant's provider apps and robots.",
        subcommands: [AppsAdd.self, List.self, Show.self, AppsVerify.self, Disable.self, Enable.self, Remove.self])

    /// The tenant a command works in, and the app it names.
    struct Target: ParsableArguments {
        @Option(help: "The tenant's code.") var tenant: String
        @Option(help: "The app's id.") var id: String
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the tenant's apps, newest first: id, provider, status, name, identifiers.")

        @OptionGroup var options: ConfigOptions
        @Option(help: "The tenant's code.") var tenant: String
        @Option(help: "Only apps of this provider.") var provider: String?
        @Option(help: "Only active or disabled apps.") var status: String?

        func validate() throws {
            if let provider { _ = try AppsCommand.provider(provider) }
            if let status, ProviderApp.Status(rawValue: status) == nil { throw ValidationError("--status must be active or disabled.") }
        }

        func run() async throws {
            let (code, provider, status) = (tenant, try provider.map(AppsCommand.provider), status.flatMap(ProviderApp.Status.init(rawValue:)))
            try await AdminCommand.run(options) { (services: ServerDependencies) in
                let tenant = try await AdminCommand.tenant(code, in: services.identity)
                var page = 1
                while true {
                    let result = try await services.credentials.apps.list(
                        tenantID: tenant.id, provider: provider, status: status, page: .init(page: page, pageSize: 200))
                    for app in result.items {
                        let identifiers = app.identifiers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                        print([app.id, app.provider.rawValue, app.status.rawValue, app.name, identifiers].joined(separator: "\t"))
                    }
                    if page * result.pageSize >= result.total { break }
                    page += 1
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one app: identifiers and the names of its secrets, never their values.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var target: Target

        func run() async throws {
            try await AppsCommand.onApp(target, options) { services, tenantID, id in
                AppsCommand.describe(try await services.credentials.apps.app(id: id, tenantID: tenantID))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an app: sends through it are refused with APP_DISABLED.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var target: Target

        func run() async throws { try await AppsCommand.set(.disabled, target, options) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled app again.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var target: Target

        func run() async throws { try await AppsCommand.set(.active, target, options) }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an app with its sealed secrets and stored tokens.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var target: Target

        func run() async throws {
            try await AppsCommand.onApp(target, options) { services, tenantID, id in
                let app = try await services.credentials.apps.delete(id: id, tenantID: tenantID)
                print("removed app \(app.id) (\(app.name))")
            }
        }
    }

    /// Runs `body` with the services, the tenant's id and the app's id of `target`.
    static func onApp<Result: Sendable>(
        _ target: Target, _ options: ConfigOptions,
        _ body: @escaping @Sendable (ServerDependencies, String, String) async throws -> Result
    ) async throws -> Result {
        let (code, id) = (target.tenant, target.id)
        return try await AdminCommand.run(options) { (services: ServerDependencies) in
            try await body(services, try await AdminCommand.tenant(code, in: services.identity).id, id)
        }
    }

    /// Sets the app's status and prints the app.
    static func set(_ status: ProviderApp.Status, _ target: Target, _ options: ConfigOptions) async throws {
        try await onApp(target, options) { services, tenantID, id in
            describe(try await services.credentials.apps.update(id: id, tenantID: tenantID, AppChanges(status: status)))
        }
    }

    /// The provider named `name`, or a usage error listing them.
    static func provider(_ name: String) throws -> AppProvider {
        guard let provider = AppProvider(rawValue: name) else {
            throw ValidationError("--provider must be one of \(AppProvider.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return provider
    }

    /// `key: value` lines for an app: what the API answers, never a secret.
    static func describe(_ app: ProviderApp) {
        let fields: [(String, String?)] = [
            ("id", app.id), ("name", app.name), ("provider", app.provider.rawValue), ("status", app.status.rawValue),
            ("base_url", app.baseURL),
        ] + app.identifiers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [
            ("secrets_set", app.secretNames.joined(separator: ",")), ("callback_path", app.callbackPath),
            ("created_at", app.createdAt.formatted(.iso8601)), ("updated_at", app.updatedAt.formatted(.iso8601)),
        ]
        for case let (name, value?) in fields { print("\(name): \(value)") }
    }
}
