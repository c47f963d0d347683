import Hummingbird
import ServiceLifecycle

/// The HTTP API as a service: waits for the preflight, then serves until graceful shutdown, when it
/// stops accepting and lets in-flight requests finish.
struct HTTPService<App: ApplicationProtocol>: Service {
    let application: App
    let preflight: Preflight

    func run() async throws {
        try await preflight.ensure()
        try await application.run()
    }
}
