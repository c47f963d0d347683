import SQLKit
import YizhanCore
import YizhanStorage

/// A transaction whose body checks uniqueness (throwing `CONFLICT`) before inserting.
///
/// On SQLite the transaction holds the write lock, so the check is enough. On PostgreSQL two
/// transactions can both pass the check; the loser's insert then fails on the unique index.
/// Running the body once more tells that failure apart from others: its check now answers
/// `CONFLICT` instead of the failure becoming a 500.
enum UniqueTransaction {
    static func run<Result: Sendable>(
        in database: any Database,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        do {
            return try await database.transaction { sql in try await body(sql) }
        } catch let error as YizhanError {
            throw error
        } catch {
            return try await database.transaction { sql in try await body(sql) }
        }
    }
}
