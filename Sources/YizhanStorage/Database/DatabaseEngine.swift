/// The database engines Yizhan runs on.
public enum DatabaseEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Embedded SQLite in WAL mode: the one-machine default.
    case sqlite
    /// PostgreSQL 15+: the scale-out engine.
    case postgres

    public var description: String { rawValue }
}
