import Foundation
import Synchronization

/// Log line timestamps, `2026-11-23T10:00:00.123Z`: the part up to the second is formatted once per
/// second, the milliseconds are appended by hand.
enum LogTimestamp {
    private static let cache = Mutex<(second: Int, prefix: String)>((-1, ""))

    /// Appends the current time to `line`.
    static func append(to line: inout LogLineBuffer) {
        let interval = Date().timeIntervalSince1970
        let second = Int(interval)
        let milliseconds = min(999, Int((interval - Double(second)) * 1000))
        line.append(
            cache.withLock { cache in
                if cache.second != second {
                    let text = Date(timeIntervalSince1970: Double(second)).formatted(.iso8601)
                    cache = (second, String(text.dropLast()) + ".")  // "…:00." without the trailing "Z"
                }
                return cache.prefix
            })
        line.append(ascii: UInt8(ascii: "0") + UInt8(milliseconds / 100))
        line.append(ascii: UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        line.append(ascii: UInt8(ascii: "0") + UInt8(milliseconds % 10))
        line.append(ascii: UInt8(ascii: "Z"))
    }
}
