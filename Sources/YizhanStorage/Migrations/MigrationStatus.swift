/// Where a database stands against the migrations a binary knows.
package struct MigrationStatus: Sendable, Equatable {
    /// The highest version recorded in the database (0 for an empty one).
    package var appliedVersion: Int
    /// The highest version this binary knows.
    package var latestVersion: Int

    package init(appliedVersion: Int, latestVersion: Int) {
        self.appliedVersion = appliedVersion
        self.latestVersion = latestVersion
    }

    /// The database has everything this binary knows, and nothing more.
    package var isCurrent: Bool { appliedVersion == latestVersion }
    /// The database was migrated by a newer binary.
    package var isNewerThanBinary: Bool { appliedVersion > latestVersion }
}
