#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Timestamps as stored: `BIGINT` milliseconds since 1970, UTC, on both engines.
package enum Timestamp {
    /// Now, in stored form.
    package static func nowMilliseconds() -> Int64 { milliseconds(Date()) }

    /// A date in stored form.
    /// A date before 1970 or past the year 292,277,026 (a lifetime a remote party chose, added to
    /// now) is clamped to the nearest storable value instead of trapping.
    package static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return value > 0 ? .max : .min }
        return Int64(exactly: value) ?? (value > 0 ? .max : .min)
    }

    /// A stored value as a date.
    package static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
