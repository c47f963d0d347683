extension SandboxLog {
    /// Records one WeCom call: accepted, or rejected with the errcode of `failure`.
    func recordWeCom(_ record: SandboxRecord, failure: WeComAPIError?) {
        var record = record
        if let failure {
            record.reason = "\(failure.errcode) \(failure.errmsg)"
        } else {
            record.outcome = .accepted
        }
        append(record)
    }
}
