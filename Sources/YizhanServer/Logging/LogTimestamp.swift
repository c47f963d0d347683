import Foundation
import Synchronization

/// Log line timestamps, `2026-11-23T10:00:00.123Z`: the part up to the second is formatted once per
/// second, the milliseconds are appended by hand.
enum LogTimestamp {
    private static let cache = Mutex<(second: Int, prefix: String)>((-1, ""))

    static func now() -> String {
        let interval = Date().timeIntervalSince1970
        let second = Int(interval)
        let milliseconds = min(999, Int((interval - Double(second)) * 1000))
        let prefix = cache.withLock { cache in
            if cache.second != second {
                let text = Date(timeIntervalSince1970: Double(second)).formatted(.iso8601)
                cache = (second, String(text.dropLast()))  // drop the trailing "Z"
            }
            return cache.prefix
        }
        let digits = String(milliseconds)
        return prefix + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
