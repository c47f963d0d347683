import ArgumentParser
import Foundation
import YizhanCredentials
import YizhanIdentity
import YizhanServer

/// `yizhan apps add`: registers an app or robot for a tenant, as `POST /api/v1/apps` does.
struct AppsAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Register an app or robot; its secrets come from a file, standard input or a prompt.",
        discussion: """
            Identifiers are flags (--set app_id=cli_x; WeCom: --set corp_id=… --set agent_id=…); secrets are \
            read from --secrets-file, --secrets-stdin (a JSON object) or asked for without echo at a terminal.
            """)

    @OptionGroup var options: ConfigOptions
    @Option(help: "The tenant's code.") var tenant: String
    @Option(help: "lark, lark_marketplace, wecom, lark_bot, wecom_robot or dingtalk_robot.") var provider: String
    @Option(help: "Display name.") var name: String
    @Option(name: .customLong("base-url"), help: "The provider's API origin (default: its public API), e.g. a sandbox.") var baseURL: String?
    @Option(name: .customLong("set"), help: "An identifier, NAME=VALUE (repeat for several): app_id, corp_id, agent_id.")
    var identifiers: [String] = []
    @OptionGroup var secrets: AppSecretsInput

    func validate() throws {
        let provider = try AppsCommand.provider(provider)
        _ = try Self.identifiers(identifiers, of: provider)
    }

    func run() async throws {
        let provider = try AppsCommand.provider(provider)
        var credentials = try Self.identifiers(identifiers, of: provider)
        credentials.merge(try secrets.read(for: provider)) { $1 }
        let registration = AppRegistration(name: name, provider: provider, baseURL: baseURL, credentials: credentials)
        let code = tenant
        try await AdminCommand.run(options) { (services: ServerDependencies) in
            let tenant = try await AdminCommand.tenant(code, in: services.identity)
            AppsCommand.describe(try await services.credentials.apps.create(registration, tenantID: tenant.id))
        }
    }

    /// The `--set NAME=VALUE` pairs, each an identifier of `provider` (a secret is refused: flags
    /// land in the shell's history).
    static func identifiers(_ pairs: [String], of provider: AppProvider) throws -> [String: String] {
        var identifiers: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--set takes NAME=VALUE.")
            }
            let name = String(pair[..<equals])
            guard let field = provider.fields.first(where: { $0.name == name }) else {
                let names = provider.fields.filter { !$0.isSecret }.map(\.name)
                throw ValidationError(
                    "\(name) is not an identifier of a \(provider.rawValue) app" + (names.isEmpty ? " (it has none)." : " (\(names.joined(separator: ", ")))."))
            }
            guard !field.isSecret else {
                throw ValidationError("\(name) is a secret: give it with --secrets-file, --secrets-stdin or at the prompt, never as a flag.")
            }
            identifiers[name] = String(pair[pair.index(after: equals)...])
        }
        return identifiers
    }
}
