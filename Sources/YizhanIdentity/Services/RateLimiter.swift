import Synchronization
import YizhanCore

/// A token bucket per key (an API key or a user), in this process's memory.
///
/// Each key's bucket holds up to `burst` tokens and refills at `perSecond`; a request takes one.
/// With several API processes each has its own buckets, so the effective limit is per process.
/// At most ``bucketLimit`` buckets are kept: when full, buckets that have refilled by now (their
/// keys idle) are dropped, and if every key is busy the map starts over, so memory stays bounded.
package final class RateLimiter: Sendable {
    /// The answer for one request.
    package struct Decision: Sendable, Equatable {
        package var allowed: Bool
        /// The bucket size (`X-RateLimit-Limit`).
        package var limit: Int
        /// Whole tokens left (`X-RateLimit-Remaining`).
        package var remaining: Int
        /// Seconds until the bucket is full again (`X-RateLimit-Reset`).
        package var resetSeconds: Int
        /// Seconds until one token is there, when refused (`Retry-After`).
        package var retryAfterSeconds: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: Duration
    }

    package let perSecond: Double
    package let burst: Int
    private let clock: any TimeSource
    private let buckets = Mutex<[String: Bucket]>([:])
    /// The most buckets kept.
    let bucketLimit: Int

    package init(perSecond: Double, burst: Int, clock: any TimeSource = SystemTimeSource(), bucketLimit: Int = 100_000) {
        precondition(perSecond > 0 && burst >= 1 && bucketLimit >= 1)
        self.perSecond = perSecond
        self.burst = burst
        self.clock = clock
        self.bucketLimit = bucketLimit
    }

    /// How many keys have a bucket now.
    package var bucketCount: Int { buckets.withLock { $0.count } }

    /// Takes a token from `key`'s bucket if there is one.
    package func take(_ key: String) -> Decision {
        let capacity = Double(burst)
        let now = clock.uptime()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = refilled(bucket, at: now, capacity: capacity)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if buckets.count >= bucketLimit, buckets[key] == nil {
                buckets = buckets.filter { refilled($0.value, at: now, capacity: capacity) < capacity }
                if buckets.count >= bucketLimit { buckets.removeAll() }
            }
            buckets[key] = bucket
            let resetSeconds = Int(((capacity - bucket.tokens) / perSecond).rounded(.up))
            let retryAfter = allowed ? 0 : max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            return Decision(
                allowed: allowed, limit: burst, remaining: Int(bucket.tokens), resetSeconds: resetSeconds,
                retryAfterSeconds: retryAfter)
        }
    }

    /// The tokens `bucket` holds at `now`.
    private func refilled(_ bucket: Bucket, at now: Duration, capacity: Double) -> Double {
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(capacity, bucket.tokens + max(0, seconds) * perSecond)
    }
}
