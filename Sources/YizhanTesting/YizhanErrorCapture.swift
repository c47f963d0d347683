import YizhanCore

/// The `YizhanError` `body` throws; nil when it throws none, and an `INTERNAL_ERROR` naming any
/// other error, so a test asserts the code and details of a refusal.
package func yizhanError(_ body: () async throws -> Void) async -> YizhanError? {
    do {
        try await body()
        return nil
    } catch let error as YizhanError {
        return error
    } catch {
        return YizhanError(.internalError, "unexpected \(error)")
    }
}
