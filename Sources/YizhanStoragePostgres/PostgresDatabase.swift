import Logging
import PostgresKit
import PostgresNIO
import ServiceLifecycle
import SQLKit
import Synchronization
import YizhanStorage

/// The scale-out engine: PostgreSQL through postgres-nio's connection pool.
///
/// Connection failures surface as ``DatabaseError/unavailable`` (HTTP 503) and the pool reconnects
/// by itself when the server returns, so a lost database needs no restart. Queries run through
/// ``OpenConnectionSQL``, so one that meets a connection the server has just closed fails rather
/// than hangs.
package final class PostgresDatabase: Database {
    /// Settings of the PostgreSQL engine.
    package struct Configuration: Sendable {
        /// Where the server is.
        package var url: PostgresURL
        /// The most connections the pool opens.
        package var poolSize: Int
        /// How long a caller waits for a connection before getting `unavailable`.
        package var acquireTimeout: Duration
        /// How long one connection attempt may take.
        package var connectTimeout: Duration

        package init(
            url: PostgresURL,
            poolSize: Int = 10,
            acquireTimeout: Duration = .seconds(5),
            connectTimeout: Duration = .seconds(5)
        ) {
            self.url = url
            self.poolSize = poolSize
            self.acquireTimeout = acquireTimeout
            self.connectTimeout = connectTimeout
        }
    }

    package let engine = DatabaseEngine.postgres
    package let configuration: Configuration
    private let client: PostgresClient
    private let counters = Mutex(PoolStatistics(inUse: 0, idle: 0, waiting: 0, maximum: 0))
    private let started = StartSignal()

    package init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        var clientConfiguration = configuration.url.clientConfiguration()
        clientConfiguration.options.maximumConnections = configuration.poolSize
        clientConfiguration.options.connectTimeout = configuration.connectTimeout
        var poolLogger = logger
        poolLogger.handler = PoolLogHandler(base: logger.handler, started: started)
        self.client = PostgresClient(configuration: clientConfiguration, backgroundLogger: poolLogger)
        counters.withLock { $0.maximum = configuration.poolSize }
    }

    package func withConnection<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result {
        try await leased { work in try await work.runLease(body) }
    }

    /// How many times a transaction runs when the server keeps aborting it as a serialization
    /// failure or deadlock.
    static let transactionAttempts = 3

    /// Runs at `READ COMMITTED` (pinned, whatever the server's default), and runs `body` again when
    /// the server aborts the transaction as a serialization failure or deadlock.
    package func transaction<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await leased { work in
                    try await work.runTransaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED", body)
                }
            } catch let error as DatabaseError where error.code == .serializationFailure && attempt < Self.transactionAttempts {
                attempt += 1
            }
        }
    }

    private func leased<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result {
        counters.withLock { $0.waiting += 1 }
        let leased = LeaseFlag()
        do {
            let result = try await withoutActuallyEscaping(body) { body in
                try await withThrowingTaskGroup(of: Outcome<Result>.self) { group in
                    group.addTask {
                        try await self.client.withConnection { connection in
                            // The timer may have given up a moment ago: then the body must not run,
                            // or work the caller was told failed would commit.
                            guard leased.claimLease() else { throw Self.acquireTimedOut }
                            self.counters.withLock { $0.waiting -= 1; $0.inUse += 1 }
                            defer { self.counters.withLock { $0.inUse -= 1 } }
                            let work = UnitOfWork(OpenConnectionSQL(connection), engine: .postgres, classify: Self.classify)
                            return .finished(try await body(work))
                        }
                    }
                    group.addTask {
                        try? await Task.sleep(for: self.configuration.acquireTimeout)
                        return .timerFired
                    }
                    while let outcome = try await group.next() {
                        switch outcome {
                        case .finished(let result):
                            group.cancelAll()
                            return result
                        case .timerFired where leased.claimTimeout():
                            group.cancelAll()
                            throw Self.acquireTimedOut
                        case .timerFired:
                            continue
                        }
                    }
                    throw CancellationError()
                }
            }
            return result
        } catch {
            if !leased.isLeased { counters.withLock { $0.waiting -= 1 } }
            throw Self.classify(error)
        }
    }

    package func poolStatistics() async -> PoolStatistics {
        counters.withLock { statistics in
            var snapshot = statistics
            snapshot.idle = max(0, statistics.maximum - statistics.inUse)
            return snapshot
        }
    }

    /// Pings through the pool; if that fails, opens one direct connection to learn why (refused,
    /// authentication, unknown database) and reports that reason.
    package func checkReachable() async throws {
        do {
            try await ping()
        } catch let error as DatabaseError where error.code == .unavailable {
            throw DatabaseError(.unavailable, await probeReason() ?? error.message, underlying: error)
        }
    }

    private func probeReason() async -> String? {
        let connectionConfiguration: PostgresConnection.Configuration
        do {
            connectionConfiguration = try configuration.url.connectionConfiguration(
                connectTimeout: configuration.connectTimeout)
        } catch {
            return "TLS cannot be set up"
        }
        do {
            let connection = try await PostgresConnection.connect(
                configuration: connectionConfiguration, id: 0, logger: Logger(label: "yizhan.probe"))
            try? await connection.close()
            return nil
        } catch let error as PSQLError {
            return Self.reason(error)
        } catch {
            return "connection failed"
        }
    }

    /// A short, secret-free reason for a connection failure.
    static func reason(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        let text = error.underlying.map { String(describing: $0) }?.lowercased() ?? ""
        if text.contains("refused") { return "connection refused" }
        if text.contains("timeout") || text.contains("timed out") { return "connection timed out" }
        if text.contains("resolve") || text.contains("nodename") || text.contains("no address") {
            return "the host name cannot be resolved"
        }
        return "connection failed (\(error.code))"
    }

    /// Runs the connection pool until graceful shutdown, then closes it.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            self.started.fire()
            await self.client.run()
        }
    }

    /// Returns once ``run()`` is starting the pool. postgres-nio warns about every lease made
    /// before that (a lease then waits for the pool), which `yizhan migrate` printed every time.
    package func waitUntilRunning() async {
        await started.wait()
    }

    package var deliversNotifications: Bool { true }

    /// Listens on a connection of its own (outside the pool, which must not lose a connection to a
    /// listener for the life of the process).
    package func listen(channel: String, _ onNotification: @escaping @Sendable (String) -> Void) async throws {
        let connectionConfiguration: PostgresConnection.Configuration
        do {
            connectionConfiguration = try configuration.url.connectionConfiguration(
                connectTimeout: configuration.connectTimeout)
        } catch {
            throw DatabaseError(.unavailable, "TLS cannot be set up.", underlying: error)
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: connectionConfiguration, id: 1, logger: Logger(label: "yizhan.listen"))
        } catch {
            throw Self.classify(error)
        }
        do {
            try await connection.listen(on: channel) { notifications in
                for try await notification in notifications { onNotification(notification.payload) }
            }
        } catch {
            await Task { try? await connection.close() }.value
            throw Self.classify(error)
        }
        await Task { try? await connection.close() }.value
    }

    /// Maps connection-level failures to ``DatabaseError`` `unavailable`, SQLSTATE 23505 to
    /// `uniqueViolation`, and 40001/40P01 to `serializationFailure`; other errors pass through.
    static func classify(_ error: any Error) -> any Error {
        if error is DatabaseError { return error }
        if error is CancellationError { return error }
        // postgres-nio's pool reports a tripped circuit breaker or a shut-down pool with its own
        // error type, from a module that is not a product: named here by its type name.
        guard let psql = error as? PSQLError else {
            if String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") {
                return DatabaseError(.unavailable, "The database is unavailable.", underlying: error)
            }
            return error
        }
        let state = psql.serverInfo?[.sqlState]
        if let state, state.hasPrefix("22") {
            // Data exception: a value the database cannot store (a NUL in text, a number out of range).
            return DatabaseError(.invalidValue, "A value cannot be stored as given.", underlying: error)
        }
        switch state {
        case "23505":
            return DatabaseError(.uniqueViolation, "The row conflicts with an existing one.", underlying: error)
        case "55P03":
            return DatabaseError(.busy, "A row is locked by another transaction; try again shortly.", underlying: error)
        case "40001", "40P01":
            return DatabaseError(
                .serializationFailure, "The database aborted a transaction that conflicted with another; try again.",
                underlying: error)
        default:
            break
        }
        let connectivity: [PSQLError.Code] = [
            .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler, .messageDecodingFailure,
        ]
        if connectivity.contains(psql.code) {
            return DatabaseError(.unavailable, "The database is unavailable.", underlying: error)
        }
        // Class 57 (operator intervention: shutdown, cannot connect now) and 08 (connection exception).
        if let state = psql.serverInfo?[.sqlState], state.hasPrefix("57") || state.hasPrefix("08") {
            return DatabaseError(.unavailable, "The database is unavailable.", underlying: error)
        }
        return error
    }

    static let acquireTimedOut = DatabaseError(.unavailable, "No database connection became available in time.")

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timerFired
    }
}

/// Who won the race between the lease and the acquire timer: exactly one of them claims it.
private final class LeaseFlag: Sendable {
    private enum State { case waiting, leased, timedOut }
    private let state = Mutex(State.waiting)

    /// Claims the lease; `false` when the timer has given up already.
    func claimLease() -> Bool { claim(.leased) }
    /// Claims the timeout; `false` when a connection was leased already.
    func claimTimeout() -> Bool { claim(.timedOut) }
    var isLeased: Bool { state.withLock { $0 == .leased } }

    private func claim(_ outcome: State) -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = outcome
            return true
        }
    }
}
