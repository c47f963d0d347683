import ArgumentParser
import Foundation
import YizhanServer
import YizhanStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Whether standard input is a terminal (someone can be asked).
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// One line typed at the terminal after `prompt` (on standard error), not echoed; nil at the
    /// end of input.
    static func readHidden(prompt: String) -> String? {
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        // Echo goes off before the prompt shows, so nothing typed after it is echoed.
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        defer {
            if canHide { _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
