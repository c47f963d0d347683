import Foundation

/// A job enqueued on a cron schedule, once per tick across every worker process.
package struct PeriodicJob: Sendable {
    /// A stable name: the tick it last ran for is kept under it.
    package var name: String
    package var schedule: CronExpression
    /// The job to enqueue for a tick.
    package var job: @Sendable (_ tick: Date) throws -> NewJob

    package init(name: String, schedule: CronExpression, job: @escaping @Sendable (_ tick: Date) throws -> NewJob) {
        self.name = name
        self.schedule = schedule
        self.job = job
    }

    /// A periodic job for `Handler` with fixed `args`.
    package init<Handler: JobHandler>(name: String, schedule: CronExpression, _ handler: Handler.Type, _ args: Handler.Args) {
        self.init(name: name, schedule: schedule) { _ in try NewJob(handler, args) }
    }
}
