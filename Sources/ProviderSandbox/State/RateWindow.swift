import Foundation

/// Counts events in a sliding window, on the sandbox clock.
struct RateWindow: Sendable {
    let limit: Int
    let window: TimeInterval
    private var times: [Date] = []

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Records an event at `now` if under the limit; otherwise returns the seconds until a slot frees.
    mutating func admit(at now: Date) -> Int? {
        guard !isFull(at: now) else {
            return max(1, Int((times[0].addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
        }
        times.append(now)
        return nil
    }

    /// Whether an event at `now` would be over the limit (records nothing), so several windows
    /// can be checked before any counts the event.
    mutating func isFull(at now: Date) -> Bool {
        let start = now.addingTimeInterval(-window)
        if let firstKept = times.firstIndex(where: { $0 > start }) {
            if firstKept > 0 { times.removeFirst(firstKept) }
        } else {
            times.removeAll(keepingCapacity: true)
        }
        return times.count >= limit
    }
}
