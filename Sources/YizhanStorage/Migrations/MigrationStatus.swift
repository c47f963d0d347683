/// Where a database stands against the migrations a binary knows.
public struct MigrationStatus: Sendable, Equatable {
    /// The highest version recorded in the database (0 for an empty one).
    public var appliedVersion: Int
    /// The highest version this binary knows.
    public var latestVersion: Int

    public init(appliedVersion: Int, latestVersion: Int) {
        self.appliedVersion = appliedVersion
        self.latestVersion = latestVersion
    }

    /// The database has everything this binary knows, and nothing more.
    public var isCurrent: Bool { appliedVersion == latestVersion }
    /// The database was migrated by a newer binary.
    public var isNewerThanBinary: Bool { appliedVersion > latestVersion }
}
