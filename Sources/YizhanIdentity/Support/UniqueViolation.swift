import YizhanCore
import YizhanStorage

/// Runs `body`, reporting a unique-index violation as `conflict`.
///
/// Services check uniqueness before inserting, which answers the common case with a precise
/// `CONFLICT`. On PostgreSQL two transactions can both pass the check; the loser's insert then hits
/// the unique index, and this turns that into the same answer instead of a generic one.
func reportingUniqueViolation<Result>(as conflict: YizhanError, _ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let error as DatabaseError where error.code == .uniqueViolation {
        throw conflict
    }
}
