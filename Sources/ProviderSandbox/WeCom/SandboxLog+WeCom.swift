extension SandboxLog {
    /// Runs the checks of one WeCom call and records it: accepted when they pass, rejected with the
    /// errcode when one throws.
    func recordWeCom(
        _ record: SandboxRecord, isolation: isolated (any Actor)? = #isolation, checks: () async throws -> Void
    ) async throws(WeComAPIError) {
        var record = record
        do {
            try await checks()
            record.outcome = .accepted
            append(record)
        } catch let error as WeComAPIError {
            record.reason = "\(error.errcode) \(error.errmsg)"
            append(record)
            throw error
        } catch {
            throw .invalidParameter
        }
    }
}
