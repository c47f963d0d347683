import YizhanStorage

/// Decides whether this process can serve: the database answers and its schema is current.
struct ReadinessProbe: Sendable {
    /// One named check and its outcome.
    struct Check: Sendable {
        var name: String
        var passed: Bool
        var message: String?
    }

    let database: any Database
    let migrator: Migrator

    /// Runs every check; a failing database also fails the schema check without querying it.
    func run() async -> [Check] {
        do {
            try await database.ping()
        } catch {
            return [
                Check(name: "database", passed: false, message: "The database is unreachable."),
                Check(name: "migrations", passed: false, message: "Not checked: the database is unreachable."),
            ]
        }
        let database = Check(name: "database", passed: true)
        do {
            let status = try await migrator.status()
            if status.isCurrent { return [database, Check(name: "migrations", passed: true)] }
            let message =
                status.isNewerThanBinary
                ? "The database schema (\(status.appliedVersion)) is newer than this binary (\(status.latestVersion))."
                : "Migrations are pending: the database is at \(status.appliedVersion), this binary needs \(status.latestVersion); run `yizhan migrate`."
            return [database, Check(name: "migrations", passed: false, message: message)]
        } catch {
            return [database, Check(name: "migrations", passed: false, message: "The schema version cannot be read.")]
        }
    }
}
