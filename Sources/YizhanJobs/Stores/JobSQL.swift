import SQLKit
import YizhanStorage

/// The few statements where the engines differ, in one place: a JSON array read as rows (for
/// batches), appending an error to a job's `errors`, and the wake-up notification.
enum JobSQL {
    /// The predicate of the unique-key index; `ON CONFLICT` repeats it word for word.
    static let uniquePredicate = "unique_key IS NOT NULL AND state IN (\(JobState.sqlList(JobState.nonFinal)))"

    /// A column of a JSON batch and its PostgreSQL type.
    struct Column {
        var name: String
        var type: String
    }

    /// `FROM`-able rows `r` read from a JSON array of objects bound as one value: PostgreSQL
    /// `jsonb_to_recordset`, SQLite `json_each`. A batch of any size is one bind.
    static func records(_ json: String, _ columns: [Column], engine: DatabaseEngine) -> SQLQueryString {
        switch engine {
        case .postgres:
            let types = columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
            return "jsonb_to_recordset(\(bind: json)::jsonb) AS r(\(unsafeRaw: types))"
        case .sqlite:
            let fields = columns.map { "json_extract(value, '$.\($0.name)') AS \($0.name)" }.joined(separator: ", ")
            return "(SELECT \(unsafeRaw: fields) FROM json_each(\(bind: json))) AS r"
        }
    }

    /// `errors` with one entry appended, built from SQL expressions for its fields.
    static func appendError(at: String, attempt: String, message: String, engine: DatabaseEngine) -> String {
        switch engine {
        case .postgres:
            "(jobs.errors::jsonb || jsonb_build_array(jsonb_build_object('at', \(at), 'attempt', \(attempt), 'message', \(message))))::text"
        case .sqlite:
            "json_insert(jobs.errors, '$[#]', json_object('at', \(at), 'attempt', \(attempt), 'message', \(message)))"
        }
    }

    /// The channel workers listen on: per schema, so two deployments (or two tests) in one database
    /// do not wake each other.
    static let channelSuffix = "yizhan_jobs"

    /// The channel name in this connection's schema.
    static func channel(in work: UnitOfWork) async throws -> String {
        let schema = try await work.raw("SELECT current_schema() AS name").first()?.decode(column: "name", as: String.self)
        return schema.map { "\($0).\(channelSuffix)" } ?? channelSuffix
    }

    /// Wakes the workers of `queues` in every process at commit (PostgreSQL; SQLite has no other
    /// process to tell, and this process is told after commit by ``JobWakeups``).
    static func notify(_ queues: Set<String>, in work: UnitOfWork) async throws {
        guard work.engine == .postgres else { return }
        for queue in queues.sorted() {
            try await work.raw("SELECT pg_notify(current_schema() || '.\(unsafeRaw: channelSuffix)', \(bind: queue))").run()
        }
    }
}
