import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing, off the event loops: one hash at cost 12 takes a quarter of a second of CPU,
/// so it runs on a thread pool of its own, behind a gate that bounds the work in flight (one check
/// per core at a time, a few hundred waiting; beyond that `SERVICE_UNAVAILABLE`).
package struct PasswordHasher: Sendable {
    /// The cost production uses; `auth.bcryptCost` may raise it, never lower it.
    package static let minimumProductionCost = 12

    /// The bcrypt cost (log2 of the rounds).
    package let cost: Int
    private let threadPool: NIOThreadPool
    private let gate: HashingGate

    /// - Parameters:
    ///   - cost: 4 to 31; below ``minimumProductionCost`` only for tests.
    ///   - concurrent: How many hashes run at once (default: one per core).
    ///   - queued: How many may wait for a turn before more are refused.
    package init(
        cost: Int = PasswordHasher.minimumProductionCost, threadPool: NIOThreadPool = .singleton,
        concurrent: Int = ProcessInfo.processInfo.activeProcessorCount, queued: Int = 512
    ) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4 to 31")
        self.cost = cost
        self.threadPool = threadPool
        self.gate = HashingGate(concurrent: max(1, concurrent), queued: queued)
    }

    /// The bcrypt hash of `password`, salted.
    package func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await gate.run { try await threadPool.runIfActive { Bcrypt.hash(password, cost: cost) } }
    }

    /// Whether `password` matches `hash`. With no hash (an unknown user) it checks against a decoy,
    /// so the answer takes as long as for a real user and says nothing about who exists.
    package func verify(_ password: String, against hash: String?) async throws -> Bool {
        let cost = cost
        // The decoy is made on the pool too: its first computation is a full bcrypt.
        let matches = try await gate.run {
            try await threadPool.runIfActive { Bcrypt.verify(password, hash: hash ?? DecoyHashes.hash(cost: cost)) }
        }
        return matches && hash != nil
    }

    /// The cost stored in a bcrypt hash (`$2b$12$…`), if it parses.
    package static func cost(of hash: String) -> Int? {
        let parts = hash.split(separator: "$")
        return parts.count >= 3 ? Int(parts[1]) : nil
    }
}

/// Hashes of random passwords, one per cost, computed on first use.
private enum DecoyHashes {
    private static let cache = Synchronized<[Int: String]>([:])

    static func hash(cost: Int) -> String {
        if let hash = cache.read({ $0[cost] }) { return hash }
        let hash = Bcrypt.hash(OpaqueSecret.random(bytes: 16), cost: UInt8(cost))
        cache.write { $0[cost] = hash }
        return hash
    }
}
