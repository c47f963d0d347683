/// A storage failure. Its `description` never contains the database URL or its password.
///
/// Engines classify driver errors into these codes, so callers (and the HTTP error mapper) decide
/// on the code, never on an engine's error type: `uniqueViolation` is a conflict (409),
/// `serializationFailure` is retried by the transaction and then unavailable, `busy` and
/// `unavailable` are temporary (503 with `Retry-After`).
package struct DatabaseError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case unavailable, invalidURL, schemaNewerThanBinary, migrationFailed, openFailed
            case uniqueViolation, serializationFailure, busy, invalidValue
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database cannot be reached (refused, lost, or no connection within the acquire timeout).
        package static let unavailable = Code(.unavailable)
        /// The database URL cannot be parsed or uses an unknown scheme.
        package static let invalidURL = Code(.invalidURL)
        /// The database has migrations this binary does not know: it was migrated by a newer Yizhan.
        package static let schemaNewerThanBinary = Code(.schemaNewerThanBinary)
        /// A migration failed and was rolled back.
        package static let migrationFailed = Code(.migrationFailed)
        /// The SQLite file or its directory cannot be opened or created.
        package static let openFailed = Code(.openFailed)
        /// A write hit a unique index (a concurrent writer got there first).
        package static let uniqueViolation = Code(.uniqueViolation)
        /// PostgreSQL aborted the transaction to keep it consistent (serialization failure, deadlock);
        /// running it again may succeed.
        package static let serializationFailure = Code(.serializationFailure)
        /// SQLite's write lock stayed taken (by another process) past the busy timeout, or a
        /// PostgreSQL row lock could not be had.
        package static let busy = Code(.busy)
        /// The database refused a value it cannot store (PostgreSQL class 22: a NUL in text, a
        /// number out of range); the request's input is at fault (400).
        package static let invalidValue = Code(.invalidValue)

        package var description: String { base.rawValue }
    }

    /// What went wrong.
    package var code: Code
    /// A secret-free sentence.
    package var message: String
    /// The underlying error, shown only in `debugDescription` (it may name hosts or users).
    package var underlying: (any Error)?

    package init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// Whether trying again shortly may succeed (the API answers 503 with `Retry-After`).
    package var isTemporary: Bool {
        code == .unavailable || code == .busy || code == .serializationFailure
    }

    package var description: String { message }

    package var debugDescription: String {
        guard let underlying else { return "DatabaseError(\(code)): \(message)" }
        return "DatabaseError(\(code)): \(message) — \(String(reflecting: underlying))"
    }
}
