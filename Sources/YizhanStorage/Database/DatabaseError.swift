/// A storage failure. Its `description` never contains the database URL or its password.
///
/// Engines classify driver errors into these codes, so callers (and the HTTP error mapper) decide
/// on the code, never on an engine's error type: `uniqueViolation` is a conflict (409),
/// `serializationFailure` is retried by the transaction and then unavailable, `busy` and
/// `unavailable` are temporary (503 with `Retry-After`).
public struct DatabaseError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case unavailable, invalidURL, schemaNewerThanBinary, migrationFailed, openFailed
            case uniqueViolation, serializationFailure, busy
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database cannot be reached (refused, lost, or no connection within the acquire timeout).
        public static let unavailable = Code(.unavailable)
        /// The database URL cannot be parsed or uses an unknown scheme.
        public static let invalidURL = Code(.invalidURL)
        /// The database has migrations this binary does not know: it was migrated by a newer Yizhan.
        public static let schemaNewerThanBinary = Code(.schemaNewerThanBinary)
        /// A migration failed and was rolled back.
        public static let migrationFailed = Code(.migrationFailed)
        /// The SQLite file or its directory cannot be opened or created.
        public static let openFailed = Code(.openFailed)
        /// A write hit a unique index (a concurrent writer got there first).
        public static let uniqueViolation = Code(.uniqueViolation)
        /// PostgreSQL aborted the transaction to keep it consistent (serialization failure, deadlock);
        /// running it again may succeed.
        public static let serializationFailure = Code(.serializationFailure)
        /// SQLite's write lock stayed taken (by another process) past the busy timeout.
        public static let busy = Code(.busy)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A secret-free sentence.
    public var message: String
    /// The underlying error, shown only in `debugDescription` (it may name hosts or users).
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// Whether trying again shortly may succeed (the API answers 503 with `Retry-After`).
    public var isTemporary: Bool {
        code == .unavailable || code == .busy || code == .serializationFailure
    }

    public var description: String { message }

    public var debugDescription: String {
        guard let underlying else { return "DatabaseError(\(code)): \(message)" }
        return "DatabaseError(\(code)): \(message) — \(String(reflecting: underlying))"
    }
}
