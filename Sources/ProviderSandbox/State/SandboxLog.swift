import Synchronization

/// Every message the sandbox accepted, rejected or dropped, in order.
final class SandboxLog: Sendable {
    private let records = Mutex<[SandboxRecord]>([])

    func append(_ record: SandboxRecord) { records.withLock { $0.append(record) } }

    func list(provider: String?, appID: String?) -> [SandboxRecord] {
        records.withLock { records in
            records.filter { (provider == nil || $0.provider == provider) && (appID == nil || $0.appID == appID) }
        }
    }

    func reset() { records.withLock { $0.removeAll() } }
}
