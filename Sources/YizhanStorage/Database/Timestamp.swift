#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Timestamps as stored: `BIGINT` milliseconds since 1970, UTC, on both engines.
public enum Timestamp {
    /// Now, in stored form.
    public static func nowMilliseconds() -> Int64 { milliseconds(Date()) }

    /// A date in stored form.
    public static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// A stored value as a date.
    public static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
