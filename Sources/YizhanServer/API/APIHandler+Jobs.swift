import Foundation
import OpenAPIRuntime
import YizhanAPI
import YizhanCore
import YizhanIdentity
import YizhanJobs

extension APIHandler {
    /// Access: `jobs:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let query = input.query
        if let limit = query.limit, !(1...200).contains(limit) {
            throw YizhanError(.validationError, "Query 'limit' must be 1 to 200.", details: ["field": "limit"])
        }
        let scope = try jobScope(.tenantsRead)
        let filter = JobFilter(queue: query.queue, kind: query.kind, state: query.state.flatMap { JobState(rawValue: $0.rawValue) })
        // No job's queue or kind holds a NUL, which PostgreSQL would refuse to compare: an empty page.
        let matchesNothing = [query.queue, query.kind].contains { $0?.unicodeScalars.contains("\u{0}") == true }
        let page = matchesNothing
            ? (jobs: [], nextBefore: nil)
            : try await jobs.admin.page(filter: filter, tenantID: scope.tenantID, before: query.before, limit: query.limit ?? 50)
        let list = Components.Schemas.JobList(items: page.jobs.map { .init($0, platform: scope.isPlatform) }, nextBefore: page.nextBefore)
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }

    /// Access: `jobs:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        let scope = try jobScope(.tenantsRead)
        let job = try await jobs.admin.job(id: input.path.jobId, tenantID: scope.tenantID)
        return .ok(.init(body: .json(.init(success: true, data: .init(job, platform: scope.isPlatform), meta: meta()))))
    }

    /// Access: `jobs:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func retryJob(_ input: Operations.RetryJob.Input) async throws -> Operations.RetryJob.Output {
        let scope = try jobScope(.tenantsWrite)
        let job = try await jobs.admin.retry(id: input.path.jobId, tenantID: scope.tenantID, record: identity.audit.jobChange("job.retry"))
        return .ok(.init(body: .json(.init(success: true, data: .init(job, platform: scope.isPlatform), meta: meta()))))
    }

    /// Access: `jobs:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        let scope = try jobScope(.tenantsWrite)
        let job = try await jobs.admin.cancel(id: input.path.jobId, tenantID: scope.tenantID, record: identity.audit.jobChange("job.cancel"))
        return .ok(.init(body: .json(.init(success: true, data: .init(job, platform: scope.isPlatform), meta: meta()))))
    }

    /// Access: `jobs:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listQueues(_ input: Operations.ListQueues.Input) async throws -> Operations.ListQueues.Output {
        let queues = try await jobs.admin.queueSummaries(tenantID: try jobScope(.tenantsRead).tenantID)
        let list = Components.Schemas.QueueList(items: queues.map(Components.Schemas.Queue.init))
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }

    /// Queues are shared by every tenant, so this needs `tenants:write` besides: outside the
    /// platform tenant the route does not exist (404).
    /// Access: `jobs:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func pauseQueue(_ input: Operations.PauseQueue.Input) async throws -> Operations.PauseQueue.Output {
        let name = try platformQueue(input.path.queueName, action: "pause")
        try await jobs.admin.pause(queue: name, record: identity.audit.queueChange("queue.pause", name))
        let queue = Components.Schemas.Queue(try await jobs.admin.queueSummary(name))
        return .ok(.init(body: .json(.init(success: true, data: queue, meta: meta()))))
    }

    /// Queues are shared by every tenant, so this needs `tenants:write` besides: outside the
    /// platform tenant the route does not exist (404).
    /// Access: `jobs:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func resumeQueue(_ input: Operations.ResumeQueue.Input) async throws -> Operations.ResumeQueue.Output {
        let name = try platformQueue(input.path.queueName, action: "resume")
        try await jobs.admin.resume(queue: name, record: identity.audit.queueChange("queue.resume", name))
        let queue = Components.Schemas.Queue(try await jobs.admin.queueSummary(name))
        return .ok(.init(body: .json(.init(success: true, data: queue, meta: meta()))))
    }

    /// Whose jobs the caller reaches: every job (`tenantID` nil) when it holds `platform`
    /// (`tenants:read` to look, `tenants:write` to change; only the platform tenant's principals can
    /// hold them), otherwise its tenant's.
    private func jobScope(_ platform: Permission) throws -> (tenantID: String?, isPlatform: Bool) {
        let principal = try principal()
        let isPlatform = principal.tenantCode == Tenant.platformCode && principal.has(platform)
        return (isPlatform ? nil : principal.tenantID, isPlatform)
    }

    /// `name`, once the caller may pause and resume the shared queues: outside the platform tenant
    /// the route does not exist (404, as ``AuthMiddleware`` answers the platform routes); inside it
    /// without `tenants:write`, 403. A name breaking the document's `QueueName` is 400.
    private func platformQueue(_ name: String, action: String) throws -> String {
        let principal = try principal()
        guard principal.tenantCode == Tenant.platformCode, principal.has(.tenantsWrite) else {
            if principal.tenantCode != Tenant.platformCode {
                throw YizhanError(.notFound, "No route for POST /api/v1/queues/\(name)/\(action).")
            }
            throw YizhanError(
                .forbidden, "Queues are shared by every tenant: this needs the permission 'tenants:write'.",
                details: ["permission": "tenants:write"])
        }
        let length = name.unicodeScalars.count
        guard (1...128).contains(length), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw YizhanError(
                .validationError, "A queue name is 1 to 128 characters, none of them a control character.",
                details: ["field": "queue_name"])
        }
        return name
    }
}

extension Components.Schemas.Job {
    /// The read model of a job; `attempted_by` names the platform's hosts and processes, so only a
    /// platform caller sees it.
    init(_ job: Job, platform: Bool) {
        let args = (try? JSONDecoder().decode(OpenAPIValueContainer.self, from: Data(job.args.utf8)))
            ?? OpenAPIValueContainer(stringLiteral: job.args)
        self.init(
            id: job.id, queue: job.queue, kind: job.kind, args: args,
            state: Components.Schemas.JobState(rawValue: job.state.rawValue) ?? .discarded,
            priority: job.priority, attempt: job.attempt, maxAttempts: job.maxAttempts, runAt: job.runAt,
            uniqueKey: job.uniqueKey,
            errors: job.errors.map { .init(at: $0.at, attempt: $0.attempt, message: $0.message) },
            attemptedBy: platform ? job.attemptedBy : nil, attemptedAt: job.attemptedAt, leaseExpiresAt: job.leaseExpiresAt,
            cancelRequestedAt: job.cancelRequestedAt, tenantId: job.tenantID, createdAt: job.createdAt,
            finalizedAt: job.finalizedAt)
    }
}

extension Components.Schemas.Queue {
    init(_ summary: QueueSummary) {
        let depth = { (state: JobState) in summary.depth[state] ?? 0 }
        self.init(
            name: summary.name, paused: summary.paused,
            depth: .init(
                available: depth(.available), scheduled: depth(.scheduled), running: depth(.running),
                retryable: depth(.retryable), completed: depth(.completed), cancelled: depth(.cancelled),
                discarded: depth(.discarded)),
            oldestAvailableAgeSeconds: summary.oldestAvailableAge)
    }
}
