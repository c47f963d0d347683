import Foundation
import YizhanCore
import YizhanStorage

/// Writes the outcomes of finished attempts in batches: one statement for all that finished while
/// the previous write ran, so a busy worker writes once per batch, an idle one at once.
actor JobCompleter {
    private let database: any Database
    private let worker: String
    private let clock: any TimeSource
    private var buffer: [AttemptOutcome] = []
    private var flushing: Task<Void, Never>?
    /// The batch being written now.
    private var writing: [AttemptOutcome] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(database: any Database, worker: String, clock: any TimeSource) {
        self.database = database
        self.worker = worker
        self.clock = clock
    }

    /// Queues an outcome; the write starts at once unless one is running.
    func add(_ outcome: AttemptOutcome) {
        buffer.append(outcome)
        startFlush()
    }

    /// Returns once every queued outcome is written (or failed to be).
    func drain() async {
        guard flushing != nil || !buffer.isEmpty else { return }
        startFlush()
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func startFlush() {
        guard flushing == nil, !buffer.isEmpty else { return }
        let batch = buffer
        buffer = []
        // Unstructured: a write must finish even when the worker's task is being cancelled.
        flushing = Task { await self.write(batch) }
    }

    /// The jobs whose outcome is waiting or being written: their leases still need renewing.
    func pendingIDs() -> [Int64] { (buffer + writing).map(\.id) }

    private func write(_ batch: [AttemptOutcome]) async {
        writing = batch
        defer { writing = [] }
        var start = 0
        while start < batch.count {
            let chunk = Array(batch[start..<min(start + 2000, batch.count)])
            await writeChunk(chunk)
            start += chunk.count
        }
        flushing = nil
        if buffer.isEmpty {
            let waiters = idleWaiters
            idleWaiters = []
            for waiter in waiters { waiter.resume() }
        } else {
            startFlush()
        }
    }

    /// Retries a failed write a few times: the jobs stay `running` until their outcome is written,
    /// and the rescuer runs them again if it never is.
    private func writeChunk(_ chunk: [AttemptOutcome]) async {
        for attempt in 1...5 {
            do {
                let store = JobStore()
                let (worker, now) = (worker, clock.now())
                _ = try await database.write { work in
                    try await store.finish(chunk, worker: worker, now: now, in: work)
                }
                return
            } catch {
                if attempt == 5 { return }
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }
}

extension Database {
    /// Runs a write of one statement: a plain lease on PostgreSQL (the statement is its own
    /// transaction), a transaction on SQLite (so it queues behind this process's other writers).
    func write<Result: Sendable>(_ body: @Sendable (UnitOfWork) async throws -> Result) async throws -> Result {
        engine == .sqlite ? try await transaction(body) : try await withConnection(body)
    }
}
