import Foundation

/// The JSON coders for job arguments and errors: dates as milliseconds, so they survive both engines
/// and every language that reads the table.
enum JobJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func errors(_ text: String) -> [JobAttemptError] {
        if text == "[]" { return [] }  // most jobs: no failed attempt, and no decoder to run
        return (try? decoder.decode([JobAttemptError].self, from: Data(text.utf8))) ?? []
    }
}
