import ArgumentParser
import Foundation
import YizhanCredentials
import YizhanServer

/// `yizhan apps verify`: checks an app's credentials with its provider, as
/// `POST /api/v1/apps/{id}/verify` does; exits non-zero when the provider refuses them.
struct AppsVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an app's credentials with its provider (a token fetch; robots offline). Exits 1 when they are refused.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var target: AppsCommand.Target

    func run() async throws {
        let verification = try await AppsCommand.onApp(target, options) { services, tenantID, id in
            try await services.credentials.verifier.verify(id: id, tenantID: tenantID)
        }
        let fields: [(String, String?)] = [
            ("ok", String(verification.ok)), ("provider_code", String(verification.providerCode)), ("message", verification.message),
            ("token_expires_in", verification.tokenExpiresIn.map(String.init)), ("latency_ms", String(verification.latencyMilliseconds)),
        ]
        for case let (name, value?) in fields { print("\(name): \(value)") }
        if !verification.ok { throw ExitCode.failure }
    }
}
