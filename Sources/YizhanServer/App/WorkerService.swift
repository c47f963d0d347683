import Logging
import ServiceLifecycle
import YizhanJobs

/// The worker role: once the preflight holds, runs the job worker until shutdown, which drains it
/// (running jobs finish within the drain timeout, the rest are put back).
struct WorkerService: Service {
    let preflight: Preflight
    let worker: JobWorker
    let logger: Logger

    func run() async throws {
        try await preflight.ensure()
        logger.info("worker started")
        try await worker.run()
        logger.info("worker stopped")
    }
}
