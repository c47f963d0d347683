import YizhanStorage

/// The principals resolved in the last second, shared by the resolver that fills it and the
/// services that change what a principal may do (they clear it after their change commits).
final class PrincipalCache: Sendable {
    enum Entry: Sendable {
        case resolved(Principal, expiresAt: Duration)
        case resolving(Task<Principal, any Error>)
    }

    /// The most entries kept; beyond it, expired entries go, then all.
    static let limit = 50_000

    let entries = Synchronized<[String: Entry]>([:])

    /// Forgets every cached principal, so the next request of each credential reads the database.
    func clear() {
        entries.write { $0.removeAll() }
    }
}

extension UnitOfWork {
    /// Clears `cache` once this work commits: what it changed is seen by the next request.
    func invalidates(_ cache: PrincipalCache) {
        afterCommit { cache.clear() }
    }
}
