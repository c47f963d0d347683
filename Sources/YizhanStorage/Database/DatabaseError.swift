/// A storage failure. Its `description` never contains the database URL or its password.
public struct DatabaseError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case unavailable, invalidURL, schemaNewerThanBinary, migrationFailed, openFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database cannot be reached (refused, lost, or no connection within the timeout).
        public static let unavailable = Code(.unavailable)
        /// The database URL cannot be parsed or uses an unknown scheme.
        public static let invalidURL = Code(.invalidURL)
        /// The database has migrations this binary does not know: it was migrated by a newer Yizhan.
        public static let schemaNewerThanBinary = Code(.schemaNewerThanBinary)
        /// A migration failed and was rolled back.
        public static let migrationFailed = Code(.migrationFailed)
        /// The SQLite file or its directory cannot be opened or created.
        public static let openFailed = Code(.openFailed)

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

    public var description: String { message }

    public var debugDescription: String {
        guard let underlying else { return "DatabaseError(\(code)): \(message)" }
        return "DatabaseError(\(code)): \(message) — \(String(reflecting: underlying))"
    }
}
