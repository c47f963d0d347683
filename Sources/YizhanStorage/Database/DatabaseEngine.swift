/// The database engines Yizhan runs on.
package enum DatabaseEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Embedded SQLite in WAL mode: the one-machine default.
    case sqlite
    /// PostgreSQL 15+: the scale-out engine.
    case postgres

    package var description: String { rawValue }
}
