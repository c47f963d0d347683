import Logging

/// The log handler of the pool's background logger: the given one, less one false alarm.
///
/// postgres-nio warns about a lease made before `PostgresClient.run()` has marked the client as
/// running. ``PostgresDatabase/run()`` signals that it started just before it calls `run()`, so work
/// waiting for that signal (``Database/whileRunning(_:)``, as `yizhan migrate` uses) can lease in the
/// instant between the two, on a busy machine, and the warning came out although nothing was wrong.
/// Once the signal has fired the warning is dropped; before it, it still means what it says.
struct PoolLogHandler: LogHandler {
    var base: any LogHandler
    let started: StartSignal

    static let notRunningWarning = "Trying to lease connection from `PostgresClient`, but `PostgresClient.run()`"

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level == .warning, started.hasFired, event.message.description.hasPrefix(Self.notRunningWarning) { return }
        base.log(event: event)
    }
}
