import ServiceLifecycle

extension Database {
    /// Runs the database service around `body`, for tools that need a database but no service group.
    package func whileRunning<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            await waitUntilRunning()
            return try await body()
        }
    }

    /// Checks that the database can be reached now, with a reason fit for one log line if not.
    package func checkReachable() async throws {
        do {
            try await ping()
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError(.unavailable, "The database does not answer.", underlying: error)
        }
    }
}
