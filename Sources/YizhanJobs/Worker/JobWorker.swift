import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import YizhanCore
import YizhanStorage

/// Runs jobs: a producer per queue claims batches sized to its free slots, handlers run
/// concurrently up to the queue's limit, and their outcomes are written in batches. Alongside, it
/// extends the leases of its running jobs, rescues jobs whose worker died, and (PostgreSQL) listens
/// for enqueue notifications; every producer also polls, so a lost notification only delays.
///
/// A `Service`: on graceful shutdown it stops claiming, lets running jobs finish for up to
/// ``JobWorkerConfiguration/drainTimeout``, then stops the rest and puts them back (`available`,
/// the attempt not counted), writes every outcome and returns.
package final class JobWorker: Service, Sendable {
    private let database: any Database
    private let registry: JobRegistry
    /// The registry's kinds, the only ones this worker claims.
    private let kinds: [String]
    private let configuration: JobWorkerConfiguration
    private let clock: any TimeSource
    private let wakeups: JobWakeups
    private let logger: Logger
    private let completer: JobCompleter
    private let running = Mutex<[Int64: JobAttempt]>([:])
    private let draining = Mutex(false)
    private let store = JobStore()

    package init(
        database: any Database, registry: JobRegistry, configuration: JobWorkerConfiguration,
        clock: any TimeSource, wakeups: JobWakeups, logger: Logger
    ) {
        self.database = database
        self.registry = registry
        self.kinds = registry.kinds
        self.configuration = configuration
        self.clock = clock
        self.wakeups = wakeups
        self.logger = logger
        self.completer = JobCompleter(database: database, worker: configuration.workerID, clock: clock)
    }

    package func run() async throws {
        await withGracefulShutdownHandler {
            await self.runUntilDrained()
        } onGracefulShutdown: {
            self.beginDrain()
        }
    }

    /// Stops claiming; running jobs get the drain timeout to finish.
    package func beginDrain() {
        draining.withLock { $0 = true }
        wakeups.signalAll()
        // A loop between its check and its wait finds these pending.
        for key in [Self.drainSignal, Self.scheduleSignal] + configuration.queues.keys { wakeups.signal(key) }
    }

    private var isDraining: Bool { draining.withLock { $0 } }

    private func runUntilDrained() async {
        await withTaskGroup(of: Void.self) { background in
            background.addTask { await self.maintain() }
            if !configuration.periodicJobs.isEmpty { background.addTask { await self.schedule() } }
            if database.deliversNotifications { background.addTask { await self.listen() } }
            await withTaskGroup(of: Void.self) { producers in
                for (queue, concurrency) in configuration.queues {
                    producers.addTask { await self.produce(queue: queue, concurrency: max(1, concurrency)) }
                }
                producers.addTask { await self.stopStragglers() }
            }
            await completer.drain()
            background.cancelAll()
        }
    }

    /// After a drain begins, waits out the drain timeout, then stops what still runs.
    private func stopStragglers() async {
        while !isDraining {
            await wakeups.wait(Self.drainSignal, timeout: .seconds(3600))
        }
        let deadline = ContinuousClock.now + configuration.drainTimeout
        while ContinuousClock.now < deadline, !running.withLock(\.isEmpty) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for attempt in running.withLock({ Array($0.values) }) { attempt.stop(.shutdown) }
    }

    private static let drainSignal = "\u{0}drain"
    private static let scheduleSignal = "\u{0}schedule"

    // MARK: Producing

    private func produce(queue: String, concurrency: Int) async {
        let inFlight = SlotCounter()
        await withDiscardingTaskGroup { group in
            while !isDraining {
                let free = concurrency - inFlight.value
                var claimed: [Job] = []
                if free > 0 {
                    do {
                        claimed = try await claim(queue: queue, limit: free)
                    } catch {
                        logger.warning("cannot claim jobs", metadata: ["queue": "\(queue)", "error": "\(error)"])
                    }
                }
                for job in claimed {
                    inFlight.add(1)
                    group.addTask {
                        await self.execute(job)
                        inFlight.add(-1)
                        self.wakeups.signal(queue)
                    }
                }
                // A full batch means more may be due: claim again as soon as a slot frees.
                if free > 0 && claimed.count == free { continue }
                if isDraining { break }
                await wakeups.wait(queue, timeout: configuration.pollInterval)
            }
        }
    }

    private func claim(queue: String, limit: Int) async throws -> [Job] {
        let now = clock.now()
        let (worker, lease, store) = (configuration.workerID, now.addingTimeInterval(configuration.lease.seconds), store)
        let kinds = kinds
        return try await database.write { work in
            try await store.claim(queue: queue, kinds: kinds, limit: limit, worker: worker, now: now, leaseUntil: lease, in: work)
        }
    }

    // MARK: Running

    private func execute(_ job: Job) async {
        guard let handler = registry.handler(for: job.kind) else {
            let outcome = AttemptOutcome.unknownKind(job, now: clock.now())
            report(job, outcome, failed: false, duration: nil)
            await completer.add(outcome)
            return
        }
        let attempt = JobAttempt()
        running.withLock { $0[job.id] = attempt }
        let clock = clock
        let context = JobContext(job: job, worker: configuration.workerID) { clock.now() }
        let started = ContinuousClock.now
        let ending = await attempt.run(timeout: handler.timeout) {
            try await handler.run(job.args, context)
        }
        let duration = ContinuousClock.now - started
        running.withLock { _ = $0.removeValue(forKey: job.id) }
        if case .finished(.completed) = ending, context.isCompleted {
            configuration.observer?.attemptEnded(
                .init(queue: job.queue, kind: job.kind, state: .completed, failed: false, duration: duration))
            return
        }
        let outcome = AttemptOutcome.make(job, ending, backoff: handler.backoff, now: clock.now())
        report(job, outcome, failed: ending.isFailure, duration: duration)
        if let outcome {
            if case .failed(let error) = ending {
                logger.info("job attempt failed", metadata: [
                    "job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempt)", "error": "\(error)",
                ])
            }
            await completer.add(outcome)
        }
    }

    private func report(_ job: Job, _ outcome: AttemptOutcome?, failed: Bool, duration: Duration?) {
        guard let observer = configuration.observer else { return }
        observer.attemptEnded(.init(
            queue: job.queue, kind: job.kind, state: outcome.flatMap { JobState(rawValue: $0.state) }, failed: failed,
            duration: duration))
    }

    // MARK: Leases, rescue, notifications

    /// Extends this worker's leases every third of a lease (stopping jobs an operator cancelled)
    /// and rescues expired ones every rescue interval, until cancelled.
    private func maintain() async {
        let extendEvery = configuration.lease / 3
        var sinceRescue = Duration.zero
        while !Task.isCancelled {
            await extendLeases()
            if sinceRescue >= configuration.rescueInterval {
                sinceRescue = .zero
                _ = try? await rescue()
            }
            try? await Task.sleep(for: extendEvery)
            sinceRescue += extendEvery
        }
    }

    private func extendLeases() async {
        let now = clock.now()
        let (worker, until, store) = (configuration.workerID, now.addingTimeInterval(configuration.lease.seconds), store)
        let ids = running.withLock { Array($0.keys) } + (await completer.pendingIDs())
        do {
            let cancelled = try await database.write { work in
                try await store.extendLeases(worker: worker, ids: ids, until: until, in: work)
            }
            for id in cancelled { running.withLock { $0[id] }?.stop(.operatorCancel) }
        } catch {
            logger.warning("cannot extend job leases", metadata: ["error": "\(error)"])
        }
    }

    /// Takes back the jobs of dead workers now; returns how many went back to `retryable` and how
    /// many were discarded (their last attempt).
    @discardableResult
    package func rescue() async throws -> (retried: Int, discarded: Int) {
        let (now, store) = (clock.now(), store)
        let rescued = try await database.write { work in try await store.rescue(now: now, in: work) }
        if rescued.retried + rescued.discarded > 0 {
            configuration.observer?.rescued(retried: rescued.retried, discarded: rescued.discarded)
            logger.notice("rescued jobs whose worker stopped", metadata: [
                "retryable": "\(rescued.retried)", "discarded": "\(rescued.discarded)",
            ])
            for queue in configuration.queues.keys { wakeups.signal(queue) }
        }
        return rescued
    }

    /// The scheduler, until cancelled; gives leadership up on the way out.
    private func schedule() async {
        let scheduler = JobScheduler(
            database: database, queue: JobQueue(clock: clock, wakeups: wakeups), periodic: configuration.periodicJobs,
            holder: configuration.workerID, lease: configuration.schedulerInterval * 3, clock: clock, logger: logger)
        while !Task.isCancelled && !isDraining {
            do { try await scheduler.tick() } catch {
                logger.warning("the scheduler failed a round", metadata: ["error": "\(error)"])
            }
            await wakeups.wait(Self.scheduleSignal, timeout: configuration.schedulerInterval)
        }
        await Task { await scheduler.resign() }.value
    }

    private func listen() async {
        let channel: String
        do {
            channel = try await database.withConnection { work in try await JobSQL.channel(in: work) }
        } catch {
            logger.warning("cannot listen for jobs; polling only", metadata: ["error": "\(error)"])
            return
        }
        while !Task.isCancelled {
            do {
                try await database.listen(channel: channel) { [wakeups] queue in wakeups.signal(queue) }
            } catch {
                if Task.isCancelled { return }
                logger.info("job notifications lost; listening again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// How many jobs of one queue run now.
private final class SlotCounter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add(_ delta: Int) { count.withLock { $0 += delta } }
}
