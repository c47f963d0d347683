package import Foundation
internal import OpenAPIRuntime

/// Dates of the API (`format: date-time`): read as any RFC 3339 date-time, with or without
/// fractional seconds (`2026-12-02T13:06:12Z`, JavaScript's `2026-12-02T13:06:12.345Z`, Python's
/// `2026-12-02T21:06:12.345678+08:00`); written in whole seconds, UTC, with `Z`.
///
/// The runtime's default read only the form without fractions, so a JavaScript or Python client's
/// timestamp was refused, and it let through what RFC 3339 does not allow (hour 24, an offset of
/// +25:00, text after the date). This reads exactly RFC 3339 §5.6: `T` or `t` between date and
/// time, `Z`, `z` or `±hh:mm` at the end, a leap second read as the next minute's first.
package struct RFC3339DateTranscoder: DateTranscoder {
    /// What a refused date-time is told, after the field's name.
    package static let expectation = "must be an RFC 3339 date-time, such as 2026-12-02T13:06:12Z"

    package init() {}

    package func encode(_ date: Date) throws -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, dayOfMonth) = Self.civil(fromDays: day)
        var text = ""
        text.reserveCapacity(20)
        func append(_ value: Int, digits: Int) {
            let decimal = String(value)
            text += String(repeating: "0", count: max(0, digits - decimal.count)) + decimal
        }
        append(year, digits: 4); text += "-"; append(month, digits: 2); text += "-"; append(dayOfMonth, digits: 2)
        text += "T"; append(second / 3600, digits: 2); text += ":"; append(second / 60 % 60, digits: 2)
        text += ":"; append(second % 60, digits: 2); text += "Z"
        return text
    }

    package func decode(_ text: String) throws -> Date {
        guard let date = Self.parse(Array(text.utf8)) else { throw InvalidDateTime(text: text) }
        return date
    }

    /// `yyyy-mm-ddThh:mm:ss[.fraction](Z|±hh:mm)`, or nil.
    private static func parse(_ bytes: [UInt8]) -> Date? {
        guard bytes.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        func byte(_ index: Int, is allowed: String) -> Bool { allowed.utf8.contains(bytes[index]) }
        guard let year = number(0..<4), byte(4, is: "-"), let month = number(5..<7), byte(7, is: "-"),
            let day = number(8..<10), byte(10, is: "Tt"), let hour = number(11..<13), byte(13, is: ":"),
            let minute = number(14..<16), byte(16, is: ":"), let second = number(17..<19),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second <= 60
        else { return nil }

        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }

        var offset = 0
        guard index < bytes.count else { return nil }
        if byte(index, is: "Zz") {
            index += 1
        } else {
            guard byte(index, is: "+-"), index + 6 == bytes.count, let hours = number(index + 1..<index + 3),
                byte(index + 3, is: ":"), let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        }
        guard index == bytes.count else { return nil }

        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func days(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A text that is not an RFC 3339 date-time; the converter adds the field it was read for.
package struct InvalidDateTime: Error, CustomStringConvertible {
    package var text: String
    package var description: String { "'\(text)' \(RFC3339DateTranscoder.expectation)" }
}
