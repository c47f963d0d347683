import Foundation
import SQLKit
import YizhanStorage

/// The `jobs` table: enqueue, claim, finish and rescue. Every state change names its
/// ``JobTransition``, whose sources guard the `WHERE`.
struct JobStore {
    /// Inserts one job, or finds the non-final job that holds its unique key.
    func insert(_ job: NewJob, now: Date, in work: UnitOfWork) async throws -> EnqueueResult {
        let stamp = Timestamp.milliseconds(now)
        let runAt = job.runAt.map(Timestamp.milliseconds) ?? stamp
        let state: JobState = runAt > stamp ? .scheduled : .available
        let row = try await work.raw("""
            INSERT INTO jobs (queue, kind, args, state, priority, attempt, max_attempts, run_at, unique_key, errors,
                tenant_id, created_at)
            VALUES (\(bind: job.queue), \(bind: job.kind), \(bind: job.args), \(bind: state.rawValue),
                \(bind: Int64(job.priority)), 0, \(bind: Int64(job.maxAttempts)), \(bind: runAt), \(bind: Self.storedKey(job)),
                '[]', \(bind: job.tenantID), \(bind: stamp))
            ON CONFLICT (unique_key) WHERE \(unsafeRaw: JobSQL.uniquePredicate) DO NOTHING
            RETURNING id
            """).first()
        if let row { return .inserted(try row.decode(column: "id", as: Int64.self)) }
        guard let key = Self.storedKey(job), let existing = try await holder(of: key, in: work) else {
            throw DatabaseError(.uniqueViolation, "The job's unique key is taken.")
        }
        return .duplicate(existing: existing)
    }

    /// A unique key as stored: scoped by the job's tenant and kind, so one tenant's key never
    /// collides with (or reveals the job id of) another tenant's, nor one kind's with another's.
    static func storedKey(_ job: NewJob) -> String? {
        job.uniqueKey.map { [job.tenantID ?? "", job.kind, $0].joined(separator: "\u{1F}") }
    }

    /// The key as the caller gave it.
    static func shownKey(_ stored: String) -> String {
        let parts = stored.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 ? String(parts[2]) : stored
    }

    /// The non-final job holding the stored `key`.
    func holder(of key: String, in work: UnitOfWork) async throws -> Int64? {
        try await work.raw("""
            SELECT id FROM jobs WHERE unique_key = \(bind: key) AND \(unsafeRaw: JobSQL.uniquePredicate)
            """).first()?.decode(column: "id", as: Int64.self)
    }

    /// Inserts many jobs in one statement; jobs whose unique key is held are skipped. Returns how
    /// many were inserted.
    func insert(many jobs: [NewJob], now: Date, in work: UnitOfWork) async throws -> Int {
        let stamp = Timestamp.milliseconds(now)
        let rows = jobs.map { job in
            let runAt = job.runAt.map(Timestamp.milliseconds) ?? stamp
            return BatchRow(
                queue: job.queue, kind: job.kind, args: job.args,
                state: (runAt > stamp ? JobState.scheduled : .available).rawValue, priority: job.priority,
                max_attempts: job.maxAttempts, run_at: runAt, unique_key: Self.storedKey(job), tenant_id: job.tenantID)
        }
        let columns: [JobSQL.Column] = [
            .init(name: "queue", type: "text"), .init(name: "kind", type: "text"), .init(name: "args", type: "text"),
            .init(name: "state", type: "text"), .init(name: "priority", type: "bigint"),
            .init(name: "max_attempts", type: "bigint"), .init(name: "run_at", type: "bigint"),
            .init(name: "unique_key", type: "text"), .init(name: "tenant_id", type: "text"),
        ]
        let source = JobSQL.records(try JobJSON.string(rows), columns, engine: work.engine)
        let inserted = try await work.raw("""
            INSERT INTO jobs (queue, kind, args, state, priority, attempt, max_attempts, run_at, unique_key, errors,
                tenant_id, created_at)
            SELECT r.queue, r.kind, r.args, r.state, r.priority, 0, r.max_attempts, r.run_at, r.unique_key, '[]',
                r.tenant_id, \(bind: stamp)
            FROM \(source) WHERE true
            ON CONFLICT (unique_key) WHERE \(unsafeRaw: JobSQL.uniquePredicate) DO NOTHING
            RETURNING id
            """).all()
        return inserted.count
    }

    private struct BatchRow: Encodable {
        var queue, kind, args, state: String
        var priority, max_attempts: Int
        var run_at: Int64
        var unique_key, tenant_id: String?
    }

    /// Claims up to `limit` due jobs of `queue` for `worker`, unless the queue is paused: counts an
    /// attempt and sets the lease. PostgreSQL skips rows other workers have locked; SQLite runs it
    /// under the writer lock (the caller's transaction).
    func claim(
        queue: String, kinds: [String], limit: Int, worker: String, now: Date, leaseUntil: Date, in work: UnitOfWork
    ) async throws -> [Job] {
        guard !kinds.isEmpty else { return [] }
        let stamp = Timestamp.milliseconds(now)
        let due: SQLQueryString = """
            SELECT id FROM jobs
            WHERE queue = \(bind: queue) AND \(unsafeRaw: JobTransition.claim.sourceCondition) AND run_at <= \(bind: stamp)
                AND kind IN (\(binds: kinds))
                AND NOT EXISTS (SELECT 1 FROM job_queues WHERE name = \(bind: queue) AND paused_at IS NOT NULL)
            ORDER BY priority, run_at, id
            LIMIT \(bind: Int64(limit))
            """
        let set: SQLQueryString = """
            state = 'running', attempt = jobs.attempt + 1, attempted_by = \(bind: worker),
                attempted_at = \(bind: stamp), lease_expires_at = \(bind: Timestamp.milliseconds(leaseUntil))
            """
        let rows: [any SQLRow]
        switch work.engine {
        case .postgres:
            let returning = Self.claimReturns.map { "jobs.\($0)" }.joined(separator: ", ")
            rows = try await work.raw("""
                WITH due AS (\(due) FOR UPDATE SKIP LOCKED)
                UPDATE jobs SET \(set) FROM due WHERE jobs.id = due.id RETURNING \(unsafeRaw: returning)
                """).all()
        case .sqlite:
            let returning = Self.claimReturns.joined(separator: ", ")
            rows = try await work.raw("UPDATE jobs SET \(set) WHERE id IN (\(due)) RETURNING \(unsafeRaw: returning)").all()
        }
        let claim = Claim(
            queue: queue, worker: worker, at: Timestamp.date(milliseconds: stamp),
            leaseUntil: Timestamp.date(milliseconds: Timestamp.milliseconds(leaseUntil)))
        return try rows.map { try Self.decode($0, claimed: claim) }
            .sorted { ($0.priority, $0.runAt, $0.id) < ($1.priority, $1.runAt, $1.id) }
    }

    /// What a claim wrote into every row it took, so the rows it returns need not carry it back:
    /// decoding a column through SQLKit is the larger part of a claim's CPU time.
    struct Claim {
        var queue: String
        var worker: String
        var at: Date
        var leaseUntil: Date
    }

    /// The columns a claim reads back: those it did not set itself (`finalized_at` is NULL while
    /// running, by the table's `CHECK`).
    static let claimReturns = [
        "id", "kind", "args", "priority", "attempt", "max_attempts", "run_at", "unique_key", "errors",
        "cancel_requested_at", "tenant_id", "created_at",
    ]

    /// Writes the outcomes of finished attempts, all in one statement. Only a job still running
    /// under the attempt `worker` claimed changes (one the rescuer took back, or already completed
    /// in the handler's transaction, is left alone); a job an operator asked to cancel ends
    /// `cancelled` instead of running again. Returns how many rows changed.
    @discardableResult
    func finish(_ outcomes: [AttemptOutcome], worker: String, now: Date, in work: UnitOfWork) async throws -> Int {
        guard !outcomes.isEmpty else { return 0 }
        let stamp = Timestamp.milliseconds(now)
        let columns: [JobSQL.Column] = [
            .init(name: "id", type: "bigint"), .init(name: "attempt", type: "bigint"),
            .init(name: "new_attempt", type: "bigint"), .init(name: "state", type: "text"),
            .init(name: "run_at", type: "bigint"), .init(name: "message", type: "text"),
            .init(name: "at", type: "bigint"),
        ]
        let source = JobSQL.records(try JobJSON.string(outcomes), columns, engine: work.engine)
        let waiting = JobState.sqlList([JobState.available, .scheduled, .retryable])
        let cancels = "jobs.cancel_requested_at IS NOT NULL AND r.state IN (\(waiting))"
        let append = JobSQL.appendError(at: "r.at", attempt: "r.attempt", message: "r.message", engine: work.engine)
        let finals = JobState.sqlList(JobState.final)
        let rows = try await work.raw("""
            UPDATE jobs SET
                state = CASE WHEN \(unsafeRaw: cancels) THEN 'cancelled' ELSE r.state END,
                attempt = r.new_attempt,
                run_at = r.run_at,
                errors = CASE WHEN r.message IS NULL THEN jobs.errors ELSE \(unsafeRaw: append) END,
                lease_expires_at = NULL,
                finalized_at = CASE WHEN \(unsafeRaw: cancels) OR r.state IN (\(unsafeRaw: finals)) THEN \(bind: stamp) ELSE NULL END
            FROM \(source)
            WHERE jobs.id = r.id AND jobs.\(unsafeRaw: JobTransition.complete.sourceCondition)
                AND jobs.attempted_by = \(bind: worker) AND jobs.attempt = r.attempt
            RETURNING jobs.id
            """).all()
        return rows.count
    }

    /// Pushes the leases of the jobs `worker` holds (`ids`: attempts running and outcomes not yet
    /// written) out to `until`; returns those an operator asked to cancel meanwhile. Only these ids:
    /// a job the worker claimed but lost track of (a claim whose answer was lost, an outcome it
    /// could not write) runs out its lease and is rescued. On PostgreSQL rows another transaction
    /// holds (a handler completing in its own transaction, an outcome write) are skipped this
    /// round rather than waited for, so the renewal of the others never stalls or deadlocks.
    func extendLeases(worker: String, ids: [Int64], until: Date, in work: UnitOfWork) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        let held: SQLQueryString = "id IN (\(binds: ids)) AND state = 'running' AND attempted_by = \(bind: worker)"
        if work.engine == .postgres {
            try await work.raw("""
                UPDATE jobs SET lease_expires_at = \(bind: Timestamp.milliseconds(until))
                WHERE id IN (SELECT id FROM jobs WHERE \(held) ORDER BY id FOR UPDATE SKIP LOCKED)
                """).run()
        } else {
            try await work.raw("UPDATE jobs SET lease_expires_at = \(bind: Timestamp.milliseconds(until)) WHERE \(held)").run()
        }
        return try await work.raw("SELECT id FROM jobs WHERE \(held) AND cancel_requested_at IS NOT NULL")
            .all().map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// Takes back running jobs whose lease ran out before `now` (their worker died): `retryable`,
    /// or `discarded` after the last attempt, or `cancelled` if an operator asked. Returns how many.
    func rescue(now: Date, in work: UnitOfWork) async throws -> (retried: Int, discarded: Int) {
        let stamp = Timestamp.milliseconds(now)
        let append = JobSQL.appendError(
            at: "\(stamp)", attempt: "jobs.attempt", message: "'the worker stopped before finishing (lease expired)'",
            engine: work.engine)
        let rows = try await work.raw("""
            UPDATE jobs SET
                state = CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled'
                    WHEN attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END,
                finalized_at = CASE WHEN cancel_requested_at IS NOT NULL OR attempt >= max_attempts THEN \(bind: stamp) ELSE NULL END,
                run_at = \(bind: stamp),
                lease_expires_at = NULL,
                errors = \(unsafeRaw: append)
            WHERE \(unsafeRaw: JobTransition.rescue.sourceCondition) AND lease_expires_at < \(bind: stamp)
            RETURNING state
            """).all()
        let states = try rows.map { try $0.decode(column: "state", as: String.self) }
        return (states.filter { $0 == JobState.retryable.rawValue }.count, states.filter { $0 == JobState.discarded.rawValue }.count)
    }

    /// One job; only the tenant's when `tenantID` is given.
    func job(id: Int64, tenantID: String?, in work: UnitOfWork) async throws -> Job? {
        var query: SQLQueryString = "SELECT * FROM jobs WHERE id = \(bind: id)"
        if let tenantID { query += " AND tenant_id = \(bind: tenantID)" }
        return try await work.raw(query).first().map { try Self.decode($0) }
    }

    /// A job from a row of `jobs`; a row a claim returned (``claimReturns``) takes the rest from
    /// `claimed`.
    static func decode(_ row: any SQLRow, claimed: Claim? = nil) throws -> Job {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Timestamp.date(milliseconds:))
        }
        let state: JobState
        if claimed != nil {
            state = .running
        } else {
            guard let stored = JobState(rawValue: try row.decode(column: "state", as: String.self)) else {
                throw DatabaseError(.invalidValue, "A job has an unknown state.")
            }
            state = stored
        }
        return Job(
            id: try row.decode(column: "id", as: Int64.self),
            queue: try claimed?.queue ?? row.decode(column: "queue", as: String.self),
            kind: try row.decode(column: "kind", as: String.self),
            args: try row.decode(column: "args", as: String.self),
            state: state,
            priority: Int(try row.decode(column: "priority", as: Int64.self)),
            attempt: Int(try row.decode(column: "attempt", as: Int64.self)),
            maxAttempts: Int(try row.decode(column: "max_attempts", as: Int64.self)),
            runAt: Timestamp.date(milliseconds: try row.decode(column: "run_at", as: Int64.self)),
            uniqueKey: try row.decode(column: "unique_key", as: String?.self).map(Self.shownKey),
            errors: JobJSON.errors(try row.decode(column: "errors", as: String.self)),
            attemptedBy: try claimed.map(\.worker) ?? row.decode(column: "attempted_by", as: String?.self),
            attemptedAt: try claimed.map(\.at) ?? date("attempted_at"),
            leaseExpiresAt: try claimed.map(\.leaseUntil) ?? date("lease_expires_at"),
            cancelRequestedAt: try date("cancel_requested_at"),
            tenantID: try row.decode(column: "tenant_id", as: String?.self),
            createdAt: Timestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            finalizedAt: claimed == nil ? try date("finalized_at") : nil)
    }
}

/// How one attempt ended, as the store writes it: the row's next state and what to record.
struct AttemptOutcome: Sendable, Encodable {
    var id: Int64
    /// The attempt that ran (the guard: a job claimed again since is left alone).
    var attempt: Int
    /// The attempt count to store (one less for a snooze or a put-back: it did not count).
    var new_attempt: Int
    var state: String
    var run_at: Int64
    /// The error to append, if the attempt failed.
    var message: String?
    var at: Int64
}
