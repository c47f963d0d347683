import Foundation
import Logging
import YizhanCore
import YizhanIdentity
import YizhanServer

/// What the administration commands share: load the configuration, open the identity layer, and
/// turn failures into one line at the terminal.
enum AdminCommand {
    static func run(_ options: ConfigOptions, _ body: @escaping @Sendable (Identity) async throws -> Void) async throws {
        try await run(options, services: { try await body($0.identity) })
    }

    /// As ``run(_:_:)``, with every module's services (jobs, credentials) besides identity; returns
    /// what `body` returns.
    @discardableResult
    static func run<Result: Sendable>(
        _ options: ConfigOptions, services body: @escaping @Sendable (ServerDependencies) async throws -> Result
    ) async throws -> Result {
        let configuration = try await options.load().configuration
        let loggers = LoggerFactory(format: configuration.logFormat, level: max(configuration.logLevel, .warning))
        loggers.bootstrapProcess()
        do {
            let result = try await Server.withServices(configuration: configuration, logger: loggers.makeLogger(label: "yizhan"), body)
            loggers.sink.flush()
            return result
        } catch let error as YizhanError {
            loggers.sink.flush()
            Terminal.fail("\(error.code): \(error.message)")
        } catch {
            loggers.sink.flush()
            Terminal.fail(Terminal.explain(error, configuration: configuration))
        }
    }

    /// The tenant with `code`, or a clear failure.
    static func tenant(_ code: String, in identity: Identity) async throws -> Tenant {
        guard let tenant = try await identity.tenants.tenant(code: code) else {
            throw YizhanError(.notFound, "No tenant with code '\(code)'.")
        }
        return tenant
    }

    /// A password from `--password`, from standard input with `--password-stdin`, or generated
    /// (then `generated` is true and the caller prints it once).
    static func password(flag: String?, fromStandardInput: Bool) -> (password: String, generated: Bool) {
        if let flag { return (flag, false) }
        if fromStandardInput, let line = readLine(strippingNewline: true), !line.isEmpty { return (line, false) }
        return (OpaqueSecret.random(bytes: 18), true)
    }
}
