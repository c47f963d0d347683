import Foundation
import OpenAPIRuntime
import YizhanAPI
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanJobs
import YizhanMessaging
import YizhanStorage

/// Implements the operations of `openapi.yaml` (the generated `APIProtocol`).
///
/// Each operation's method says, on its `/// Access:` line, what the operation requires of the
/// caller: its `x-permission` in openapi.yaml, which ``AuthMiddleware`` checks by operation id before
/// the request is decoded. `HandlerAccessDocTests` keeps those lines true to the document.
///
/// A class: the generated server copies its handler into every request's closures, and a struct of
/// this many references would be retained and released field by field each time.
final class APIHandler: APIProtocol, Sendable {
    let database: any Database
    let migrator: Migrator
    let readiness: ReadinessProbe
    let role: YizhanConfiguration.Role
    let startedAt: Date
    let identity: Identity
    let credentials: Credentials
    let jobs: Jobs
    let messaging: Messaging
    let timestamps: ResponseTimestamp

    init(
        database: any Database, migrator: Migrator, readiness: ReadinessProbe, role: YizhanConfiguration.Role,
        startedAt: Date, identity: Identity, credentials: Credentials, jobs: Jobs, messaging: Messaging, timestamps: ResponseTimestamp
    ) {
        self.database = database
        self.migrator = migrator
        self.readiness = readiness
        self.role = role
        self.startedAt = startedAt
        self.identity = identity
        self.credentials = credentials
        self.jobs = jobs
        self.messaging = messaging
        self.timestamps = timestamps
    }

    /// Meta for the request in scope, stamped by the injected clock.
    func meta() -> Components.Schemas.Meta {
        .init(requestId: RequestID.current ?? RequestID.generate(), timestamp: timestamps.now())
    }

    /// Access: `public`: no credential needed (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getLiveness(_ input: Operations.GetLiveness.Input) async throws -> Operations.GetLiveness.Output {
        .ok(.init(body: .json(.init(success: true, data: .init(status: .ok, checks: []), meta: meta()))))
    }

    /// Access: `public`: no credential needed (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let checks = await readiness.run()
        let failing = checks.filter { !$0.passed }
        guard failing.isEmpty else {
            throw YizhanError(
                .serviceUnavailable,
                "Not ready: " + failing.compactMap(\.message).joined(separator: " "),
                details: [
                    "checks": .array(checks.map { check in
                        .object([
                            "name": .string(check.name),
                            "status": .string(check.passed ? "ok" : "failing"),
                            "message": check.message.map(JSONValue.string) ?? .null,
                        ])
                    })
                ]
            )
        }
        let health = Components.Schemas.Health(
            status: .ok,
            checks: checks.map { .init(name: $0.name, status: .ok, message: $0.message) }
        )
        return .ok(.init(body: .json(.init(success: true, data: health, meta: meta()))))
    }

    /// Access: `authenticated`: any valid credential (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getSystemInfo(_ input: Operations.GetSystemInfo.Input) async throws -> Operations.GetSystemInfo.Output {
        let settings = SettingsStore(database: database)
        let identity = try await InstanceIdentity.read(from: settings)
        let status = try await migrator.status()
        let info = Components.Schemas.SystemInfo(
            instanceId: identity.id,
            version: YizhanVersion.current,
            engine: database.engine == .sqlite ? .sqlite : .postgres,
            schemaVersion: status.appliedVersion,
            role: .init(rawValue: role.rawValue) ?? .all,
            startedAt: startedAt.formatted(.iso8601),
            firstStartedAt: identity.firstStartedAt
        )
        return .ok(.init(body: .json(.init(success: true, data: info, meta: meta()))))
    }

    /// Access: `public`: no credential needed (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func echo(_ input: Operations.Echo.Input) async throws -> Operations.Echo.Output {
        guard case .json(let request) = input.body else {
            throw YizhanError(.unsupportedMediaType, "The body must be application/json.")
        }
        let length = request.message.unicodeScalars.count
        guard (1...4096).contains(length) else {
            throw YizhanError(
                .validationError, "Field 'message' must be 1 to 4096 characters long.",
                details: ["field": "message"])
        }
        let echo = Components.Schemas.Echo(message: request.message, length: length)
        return .ok(.init(body: .json(.init(success: true, data: echo, meta: meta()))))
    }
}
