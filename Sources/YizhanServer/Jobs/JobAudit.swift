import YizhanIdentity
import YizhanJobs
import YizhanStorage

extension AuditLog {
    /// Records `action` (`job.retry`, `job.cancel`) on a job in the transaction of the change, in
    /// the job's tenant (the actor's for a job of no tenant), as the platform's changes to a tenant
    /// are recorded in that tenant.
    package func jobChange(_ action: String) -> JobAdmin.JobRecord {
        { job, work in
            try await record(
                action, tenantID: job.tenantID, target: .init("job", String(job.id)),
                details: ["queue": job.queue, "kind": job.kind, "state": job.state.rawValue], in: work)
        }
    }

    /// Records `action` (`queue.pause`, `queue.resume`) on `queue` in the actor's tenant.
    package func queueChange(_ action: String, _ queue: String) -> @Sendable (UnitOfWork) async throws -> Void {
        { work in try await record(action, target: .init("queue", queue), in: work) }
    }
}
