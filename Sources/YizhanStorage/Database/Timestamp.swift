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
    package static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// A stored value as a date.
    package static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
