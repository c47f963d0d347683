import Foundation

/// A job to enqueue. Build one from a handler and its arguments with ``init(_:_:options:)``.
package struct NewJob: Sendable {
    package var queue: String
    package var kind: String
    /// The arguments as JSON text.
    package var args: String
    package var priority: Int
    package var maxAttempts: Int
    /// When it may run; now when `nil`.
    package var runAt: Date?
    package var uniqueKey: String?
    package var tenantID: String?

    package init(
        queue: String = JobOptions.defaultQueue, kind: String, args: String, priority: Int = 1,
        maxAttempts: Int = JobOptions.defaultMaxAttempts, runAt: Date? = nil, uniqueKey: String? = nil,
        tenantID: String? = nil
    ) {
        self.queue = queue
        self.kind = kind
        self.args = args
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.tenantID = tenantID
    }

    /// A job for `Handler` with `args`, the handler's defaults overridden by `options`.
    package init<Handler: JobHandler>(_ handler: Handler.Type, _ args: Handler.Args, options: JobOptions = .init()) throws {
        let encoded = try JobJSON.encoder.encode(args)
        self.init(
            queue: options.queue ?? Handler.queue, kind: Handler.kind, args: String(decoding: encoded, as: UTF8.self),
            priority: options.priority ?? 1, maxAttempts: options.maxAttempts ?? Handler.maxAttempts,
            runAt: options.runAt, uniqueKey: options.uniqueKey, tenantID: options.tenantID)
    }
}

/// How to enqueue one job; `nil` takes the handler's default.
package struct JobOptions: Sendable {
    /// The queue jobs go to unless their handler or the caller names another.
    package static let defaultQueue = "default"
    /// Attempts a job gets unless its handler or the caller says otherwise.
    package static let defaultMaxAttempts = 20

    package var queue: String?
    package var priority: Int?
    package var maxAttempts: Int?
    package var runAt: Date?
    package var uniqueKey: String?
    package var tenantID: String?

    package init(
        queue: String? = nil, priority: Int? = nil, maxAttempts: Int? = nil, runAt: Date? = nil,
        uniqueKey: String? = nil, tenantID: String? = nil
    ) {
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.tenantID = tenantID
    }
}

/// What enqueueing one job did.
package enum EnqueueResult: Sendable, Equatable {
    /// The job was inserted with this id.
    case inserted(Int64)
    /// A non-final job already holds the unique key; nothing was inserted.
    case duplicate(existing: Int64)

    /// The id of the job that now stands for the request.
    package var id: Int64 {
        switch self {
        case .inserted(let id), .duplicate(let id): id
        }
    }
}
