import YizhanStorage
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO

/// A small pool of SQLite connections to one file.
///
/// SQLite serialises writers itself; the pool only bounds how many connections exist and hands out
/// idle ones first. Each connection is opened with WAL, foreign keys and a busy timeout. A caller
/// that finds every connection leased waits in line up to the acquire timeout, then gets
/// ``DatabaseError`` `unavailable` (the API's 503).
actor SQLiteConnectionPool {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<SQLiteConnection, any Error>
    }

    private let path: String
    private let threadPool: NIOThreadPool
    private let maximum: Int
    private let busyTimeoutMilliseconds: Int
    private let acquireTimeout: Duration
    private let logger: Logger
    private var idle: [SQLiteConnection] = []
    private var opened = 0
    private var leased = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var isClosed = false

    init(
        path: String, threadPool: NIOThreadPool, maximum: Int, busyTimeoutMilliseconds: Int, acquireTimeout: Duration,
        logger: Logger
    ) {
        self.path = path
        self.threadPool = threadPool
        self.maximum = max(1, maximum)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.acquireTimeout = acquireTimeout
        self.logger = logger
    }

    var statistics: PoolStatistics {
        PoolStatistics(inUse: leased, idle: idle.count, waiting: waiters.count, maximum: maximum)
    }

    func lease() async throws -> SQLiteConnection {
        guard !isClosed else { throw DatabaseError(.unavailable, "The database is closed.") }
        if let connection = idle.popLast() {
            leased += 1
            return connection
        }
        if opened < maximum {
            opened += 1
            do {
                let connection = try await open()
                leased += 1
                return connection
            } catch {
                opened -= 1
                throw error
            }
        }
        let id = nextWaiterID
        nextWaiterID += 1
        let timer = Task { [acquireTimeout] in
            do { try await Task.sleep(for: acquireTimeout) } catch { return }
            await self.expire(id)
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { waiters.append(Waiter(id: id, continuation: $0)) }
    }

    /// Gives up on a waiter still in line when its acquire timeout fires.
    private func expire(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(
            throwing: DatabaseError(.unavailable, "No database connection became available in time."))
    }

    /// Returns a leased connection; with `discard`, closes it instead (its transaction state is unknown).
    func release(_ connection: SQLiteConnection, discard: Bool = false) {
        if discard && !isClosed {
            leased -= 1
            opened -= 1
            Task { try? await connection.close() }
            return
        }
        if isClosed {
            leased -= 1
            opened -= 1
            Task { try? await connection.close() }
        } else if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: connection)
        } else {
            leased -= 1
            idle.append(connection)
        }
    }

    func close() async {
        isClosed = true
        for waiter in waiters {
            waiter.continuation.resume(throwing: DatabaseError(.unavailable, "The database is closed."))
        }
        waiters.removeAll()
        let closing = idle
        idle.removeAll()
        opened -= closing.count
        // Closing must finish even when the caller is being cancelled (a connection that is not
        // closed before it is released is a programming error in SQLiteNIO).
        await Task {
            for connection in closing { try? await connection.close() }
        }.value
    }

    private func open() async throws -> SQLiteConnection {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            throw DatabaseError(.openFailed, "Cannot open the SQLite database at \(path).", underlying: error)
        }
        do {
            _ = try await connection.query("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            try await enableWriteAheadLog(connection)
            _ = try await connection.query("PRAGMA synchronous = NORMAL")
            _ = try await connection.query("PRAGMA foreign_keys = ON")
        } catch {
            // Close even when the caller is cancelled: SQLiteNIO traps on a connection released open.
            await Task { try? await connection.close() }.value
            throw DatabaseError(.openFailed, "Cannot configure the SQLite database at \(path).", underlying: error)
        }
        return connection
    }

    /// Switching a new file to WAL needs a lock SQLite does not wait for when two connections open
    /// the file at once; the mode is persistent, so a few short retries settle it.
    private func enableWriteAheadLog(_ connection: SQLiteConnection) async throws {
        for attempt in 1...50 {
            do {
                _ = try await connection.query("PRAGMA journal_mode = WAL")
                return
            } catch where attempt < 50 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
