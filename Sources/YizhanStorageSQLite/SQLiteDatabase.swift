#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOPosix
import ServiceLifecycle
import SQLiteKit
import SQLiteNIO
import SQLKit
import YizhanStorage

/// The embedded engine: one SQLite file in WAL mode, foreign keys on, with a busy timeout.
package final class SQLiteDatabase: Database {
    /// Settings of the SQLite engine.
    package struct Configuration: Sendable {
        /// Path of the database file; its directory is created if missing.
        package var path: String
        /// How many connections may be open at once.
        package var poolSize: Int
        /// How long a writer waits for another process's write lock before failing (`busy`, 503).
        package var busyTimeoutMilliseconds: Int
        /// How long a caller waits for a free connection before failing (`unavailable`, 503).
        package var acquireTimeout: Duration

        package init(
            path: String, poolSize: Int = 4, busyTimeoutMilliseconds: Int = 5000, acquireTimeout: Duration = .seconds(5)
        ) {
            self.path = path
            self.poolSize = poolSize
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.acquireTimeout = acquireTimeout
        }
    }

    package let engine = DatabaseEngine.sqlite
    package let configuration: Configuration
    private let pool: SQLiteConnectionPool
    private let writerGate = WriterGate()
    private let threadPool: NIOThreadPool

    /// Creates the database; the file's directory is created now, the file on first use.
    package init(configuration: Configuration, logger: Logger) throws {
        self.configuration = configuration
        let directory = URL(fileURLWithPath: configuration.path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError(.openFailed, "Cannot create the data directory \(directory).", underlying: error)
        }
        // One thread per connection: a connection waiting in SQLite's busy handler must never hold
        // the only thread the lock holder needs to commit.
        self.threadPool = NIOThreadPool(numberOfThreads: max(1, configuration.poolSize))
        threadPool.start()
        self.pool = SQLiteConnectionPool(
            path: configuration.path,
            threadPool: threadPool,
            maximum: configuration.poolSize,
            busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
            acquireTimeout: configuration.acquireTimeout,
            logger: logger
        )
    }

    package func withConnection<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result {
        try await leased { work in try await work.runLease(body) }
    }

    /// Takes the write lock at once (`BEGIN IMMEDIATE`) after queueing behind this process's other
    /// write transactions, so writers never fail on a lock upgrade or starve each other. A writer
    /// that waits in that queue longer than the acquire timeout fails with `unavailable` (503).
    package func transaction<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result {
        try await writerGate.acquire(timeout: configuration.acquireTimeout)
        do {
            let result = try await leased { work in
                try await work.runTransaction(begin: "BEGIN IMMEDIATE", body)
            }
            await writerGate.release()
            return result
        } catch {
            await writerGate.release()
            throw error
        }
    }

    private func leased<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result {
        let connection = try await pool.lease()
        let work = UnitOfWork(
            connection.sql(queryLogLevel: nil), engine: .sqlite, classify: Self.classify)
        do {
            let result = try await body(work)
            await pool.release(connection, discard: work.needsDiscard)
            return result
        } catch {
            await pool.release(connection, discard: work.needsDiscard)
            throw error
        }
    }

    package func poolStatistics() async -> PoolStatistics { await pool.statistics }

    /// Waits for graceful shutdown, then closes every connection.
    package func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes every connection now (for tools and tests that do not run a service group).
    package func close() async {
        await pool.close()
        let threadPool = threadPool
        await Task { try? await threadPool.shutdownGracefully() }.value
    }

    /// Maps SQLite's result codes to ``DatabaseError``: unique and primary-key constraint failures,
    /// and a lock still held after the busy timeout. Other errors pass through.
    static func classify(_ error: any Error) -> any Error {
        guard let error = error as? SQLiteError else { return error }
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            return DatabaseError(.uniqueViolation, "The row conflicts with an existing one.", underlying: error)
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked, .lockedBySharedCache:
            return DatabaseError(.busy, "The database is busy; try again shortly.", underlying: error)
        default:
            return error
        }
    }
}
