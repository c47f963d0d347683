import Foundation
import YizhanStorage

/// The engines the storage conformance suite runs on.
///
/// SQLite always; PostgreSQL when `YIZHAN_TEST_POSTGRES_URL` names a server (`./scripts/test` starts
/// one and sets it). Use as `@Test(arguments: TestEngines.all)`.
package enum TestEngines {
    /// The PostgreSQL server for tests, if any.
    package static var postgresURL: String? {
        let value = ProcessInfo.processInfo.environment["YIZHAN_TEST_POSTGRES_URL"]
        return value?.isEmpty == false ? value : nil
    }

    /// Every engine available to this run.
    package static var all: [DatabaseEngine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// PostgreSQL only, when available (for behaviour only a server has, like losing the connection).
    package static var postgresOnly: [DatabaseEngine] {
        postgresURL == nil ? [] : [.postgres]
    }
}
