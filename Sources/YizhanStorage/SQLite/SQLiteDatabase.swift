#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceLifecycle
import SQLiteKit
import SQLKit
import NIOPosix

/// The embedded engine: one SQLite file in WAL mode, foreign keys on, with a busy timeout.
public final class SQLiteDatabase: Database {
    /// Settings of the SQLite engine.
    public struct Configuration: Sendable {
        /// Path of the database file; its directory is created if missing.
        public var path: String
        /// How many connections may be open at once.
        public var poolSize: Int
        /// How long a writer waits for the lock before failing.
        public var busyTimeoutMilliseconds: Int

        public init(path: String, poolSize: Int = 4, busyTimeoutMilliseconds: Int = 5000) {
            self.path = path
            self.poolSize = poolSize
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        }
    }

    public let engine = DatabaseEngine.sqlite
    public let configuration: Configuration
    private let pool: SQLiteConnectionPool
    private let writerGate = WriterGate()
    private let threadPool: NIOThreadPool

    /// Creates the database; the file's directory is created now, the file on first use.
    public init(configuration: Configuration, logger: Logger) throws {
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
            logger: logger
        )
    }

    public func withConnection<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let connection = try await pool.lease()
        do {
            let result = try await body(StatementLoggingSQL(base: connection.sql(queryLogLevel: nil)))
            await pool.release(connection)
            return result
        } catch {
            await pool.release(connection)
            throw error
        }
    }

    /// Takes the write lock at once (`BEGIN IMMEDIATE`) after queueing behind this process's other
    /// write transactions, so writers never fail on a lock upgrade or starve each other.
    public func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        await writerGate.acquire()
        do {
            let result = try await runTransaction(begin: "BEGIN IMMEDIATE", body)
            await writerGate.release()
            return result
        } catch {
            await writerGate.release()
            throw error
        }
    }

    public func poolStatistics() async -> PoolStatistics { await pool.statistics }

    /// Waits for graceful shutdown, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes every connection now (for tools and tests that do not run a service group).
    public func close() async {
        await pool.close()
        let threadPool = threadPool
        await Task { try? await threadPool.shutdownGracefully() }.value
    }
}
