import Foundation

/// A standard 5-field cron expression — minute, hour, day of month, month, day of week — read in a
/// time zone. Fields take `*`, numbers, `a-b` ranges, `/n` steps, comma lists, and month and day
/// names (`jan`, `mon`); day of week 0 and 7 are Sunday. As in cron, when both day fields are
/// restricted a day matching either runs.
///
/// ```swift
/// let nightly = try CronExpression("30 2 * * *", timeZone: TimeZone(identifier: "Asia/Shanghai")!)
/// nightly.next(after: now)   // the next 02:30 in Shanghai
/// ```
package struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    package let description: String
    package let timeZone: TimeZone
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let days: Set<Int>
    private let months: Set<Int>
    private let weekdays: Set<Int>
    private let daysRestricted: Bool
    private let weekdaysRestricted: Bool

    /// Parses `expression`; throws ``JobsError/invalidJob`` with the field at fault.
    package init(_ expression: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws {
        let fields = expression.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw JobsError(.invalidJob, "A cron expression has 5 fields (minute hour day month weekday), not \(fields.count).")
        }
        description = fields.joined(separator: " ")
        self.timeZone = timeZone
        minutes = try Self.field(fields[0], 0...59, name: "minute")
        hours = try Self.field(fields[1], 0...23, name: "hour")
        days = try Self.field(fields[2], 1...31, name: "day of month")
        months = try Self.field(fields[3], 1...12, name: "month", names: Self.monthNames)
        weekdays = Set(try Self.field(fields[4], 0...7, name: "day of week", names: Self.weekdayNames).map { $0 % 7 })
        daysRestricted = !fields[2].hasPrefix("*")
        weekdaysRestricted = !fields[4].hasPrefix("*")
    }

    /// The first matching minute strictly after `date`, within the next five years.
    package func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard var candidate = calendar.dateInterval(of: .minute, for: date)?.end else { return nil }
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while candidate < limit {
            let parts = calendar.dateComponents([.month, .day, .weekday, .hour, .minute], from: candidate)
            guard let month = parts.month, let day = parts.day, let weekday = parts.weekday,
                  let hour = parts.hour, let minute = parts.minute else { return nil }
            if !months.contains(month) {
                candidate = start(of: .month, after: candidate, calendar)
            } else if !matchesDay(day: day, weekday: weekday - 1) {
                candidate = start(of: .day, after: candidate, calendar)
            } else if !hours.contains(hour) {
                candidate = start(of: .hour, after: candidate, calendar)
            } else if !minutes.contains(minute) {
                candidate = candidate.addingTimeInterval(60)
            } else {
                return candidate
            }
        }
        return nil
    }

    private func matchesDay(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }

    private func start(of unit: Calendar.Component, after date: Date, _ calendar: Calendar) -> Date {
        calendar.dateInterval(of: unit, for: date)?.end ?? date.addingTimeInterval(60)
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .enumerated().reduce(into: [String: Int]()) { $0[$1.element] = $1.offset + 1 }
    private static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        .enumerated().reduce(into: [String: Int]()) { $0[$1.element] = $1.offset }

    private static func field(_ text: String, _ range: ClosedRange<Int>, name: String, names: [String: Int] = [:]) throws -> Set<Int> {
        func bad() -> JobsError { JobsError(.invalidJob, "The cron \(name) field \"\(text)\" is not valid.") }
        func value(_ token: Substring) throws -> Int {
            guard let number = Int(token) ?? names[token.lowercased()], range.contains(number) else { throw bad() }
            return number
        }
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else { throw bad() }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw bad() }
                step = parsed
            }
            let bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else if let dash = base.firstIndex(of: "-") {
                let low = try value(base[..<dash]), high = try value(base[base.index(after: dash)...])
                guard low <= high else { throw bad() }
                bounds = low...high
            } else {
                let single = try value(base)
                bounds = single...(pieces.count == 2 ? range.upperBound : single)
            }
            result.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return result
    }
}
