#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The clock every service reads time from, injected so tests can move time instead of sleeping.
///
/// Production code uses ``SystemTimeSource``; tests use `ManualTimeSource` from YizhanTesting.
/// Wall time (``now()``) is for what is stored or shown; ``uptime()`` only ever grows and is for
/// measuring intervals (cache lifetimes, rate-limit refills), which must not jump with the wall clock.
public protocol TimeSource: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Monotonic time since an arbitrary origin fixed for the process.
    func uptime() -> Duration
}

/// The real clock: `Date()` and the continuous clock.
public struct SystemTimeSource: TimeSource {
    private static let origin = ContinuousClock.now

    public init() {}

    public func now() -> Date { Date() }

    public func uptime() -> Duration { Self.origin.duration(to: .now) }
}
