import ArgumentParser
import Foundation
import YizhanServer
import YizhanStorage

/// Messages for people at a terminal.
enum Terminal {
    /// Prints one line to standard error and exits.
    static func fail(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("yizhan: \(message)\n".utf8))
        exit(code)
    }

    /// One line explaining why a command failed; never a secret, never a stack trace.
    static func explain(_ error: any Error, configuration: YizhanConfiguration) -> String {
        let target = configuration.redactedDatabaseURL ?? "sqlite:\(configuration.sqlitePath)"
        switch error {
        case let error as DatabaseError where error.code == .unavailable || error.code == .openFailed:
            return "cannot reach the database at \(target): \(error.message)"
        case let error as DatabaseError:
            return "\(error.message) (database \(target))"
        case let error as ConfigurationError:
            return error.description
        default:
            return "\(error)"
        }
    }
}
