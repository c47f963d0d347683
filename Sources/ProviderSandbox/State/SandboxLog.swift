import Synchronization

/// The messages the sandbox accepted, rejected or dropped, in order: the newest `limit` of them,
/// so a long benchmark does not grow the sandbox without bound.
final class SandboxLog: Sendable {
    private let records = Mutex<[SandboxRecord]>([])
    private let limit: Int

    init(limit: Int = 100_000) {
        self.limit = limit
    }

    func append(_ record: SandboxRecord) {
        records.withLock { records in
            records.append(record)
            // Trim a tenth at a time so appends stay amortised O(1).
            if records.count > limit { records.removeFirst(records.count - limit + limit / 10) }
        }
    }

    func list(provider: String?, appID: String?) -> [SandboxRecord] {
        records.withLock { records in
            records.filter { (provider == nil || $0.provider == provider) && (appID == nil || $0.appID == appID) }
        }
    }

    func reset() { records.withLock { $0.removeAll() } }
}
