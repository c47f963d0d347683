import Logging
import ServiceLifecycle

/// The worker role. The job queue arrives in a later release; until then the worker passes the
/// preflight and idles until shutdown, so deployments can already run `--role worker` processes.
struct WorkerService: Service {
    let preflight: Preflight
    let logger: Logger

    func run() async throws {
        try await preflight.ensure()
        logger.info("worker started; no job handlers are registered yet")
        try? await gracefulShutdown()
        logger.info("worker stopped")
    }
}
