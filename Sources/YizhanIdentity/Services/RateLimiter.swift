import Synchronization

/// A token bucket per key (an API key or a user), in this process's memory.
///
/// Each key's bucket holds up to `burst` tokens and refills at `perSecond`; a request takes one.
/// With several API processes each has its own buckets, so the effective limit is per process.
public final class RateLimiter: Sendable {
    /// The answer for one request.
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// The bucket size (`X-RateLimit-Limit`).
        public var limit: Int
        /// Whole tokens left (`X-RateLimit-Remaining`).
        public var remaining: Int
        /// Seconds until the bucket is full again (`X-RateLimit-Reset`).
        public var resetSeconds: Int
        /// Seconds until one token is there, when refused (`Retry-After`).
        public var retryAfterSeconds: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let perSecond: Double
    public let burst: Int
    private let buckets = Mutex<[String: Bucket]>([:])
    private static let bucketLimit = 100_000

    public init(perSecond: Double, burst: Int) {
        precondition(perSecond > 0 && burst >= 1)
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Takes a token from `key`'s bucket if there is one.
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> Decision {
        let capacity = Double(burst)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * perSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if buckets.count >= Self.bucketLimit, buckets[key] == nil {
                buckets = buckets.filter { $0.value.tokens < capacity }
            }
            buckets[key] = bucket
            let resetSeconds = Int(((capacity - bucket.tokens) / perSecond).rounded(.up))
            let retryAfter = allowed ? 0 : max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            return Decision(
                allowed: allowed, limit: burst, remaining: Int(bucket.tokens), resetSeconds: resetSeconds,
                retryAfterSeconds: retryAfter)
        }
    }
}
