import Foundation

/// The handlers a worker runs, by kind.
package struct JobRegistry: Sendable {
    private var handlers: [String: AnyJobHandler] = [:]

    package init() {}

    /// Adds `handler` for its kind, replacing any earlier one.
    package mutating func register<Handler: JobHandler>(_ handler: Handler) {
        handlers[Handler.kind] = AnyJobHandler(handler)
    }

    /// The handler of `kind`.
    func handler(for kind: String) -> AnyJobHandler? { handlers[kind] }

    /// The kinds it has handlers for: the only kinds a worker over it claims, so a job of a kind
    /// added by a newer release waits for a worker that knows it (a rolling deploy loses nothing).
    package var kinds: [String] { handlers.keys.sorted() }

    /// The queues some handler sends jobs to by default.
    package var defaultQueues: Set<String> { Set(handlers.values.map(\.queue)) }
}

/// A handler with its arguments' type erased: decodes, then runs.
struct AnyJobHandler: Sendable {
    let queue: String
    let timeout: Duration
    let backoff: @Sendable (Int) -> Duration
    let run: @Sendable (String, JobContext) async throws -> JobOutcome

    init<Handler: JobHandler>(_ handler: Handler) {
        queue = Handler.queue
        timeout = Handler.timeout
        backoff = { handler.backoff(attempt: $0) }
        run = { args, context in
            let decoded: Handler.Args
            do {
                decoded = try JobJSON.decoder.decode(Handler.Args.self, from: Data(args.utf8))
            } catch {
                throw UndecodableArguments(kind: Handler.kind, reason: "\(error)")
            }
            return try await handler.run(decoded, context: context)
        }
    }
}

/// A job whose arguments do not decode as its handler's: it is discarded, never retried.
struct UndecodableArguments: Error, CustomStringConvertible {
    var kind: String
    var reason: String
    var description: String { "the arguments do not decode as \(kind)'s: \(reason)" }
}
