/// One numbered schema change, identical in meaning on both engines.
///
/// Most migrations are the same SQL on both engines; where the engines differ the closure switches
/// on the engine. Timestamps are stored as `BIGINT` milliseconds since 1970 on both.
package struct Migration: Sendable {
    /// The version; migrations apply in increasing order and never change once released.
    package let version: Int
    /// A short snake_case name, recorded with the version.
    package let name: String
    /// The statements to run, in order, inside one transaction.
    package let statements: @Sendable (DatabaseEngine) -> [String]

    package init(version: Int, name: String, statements: @escaping @Sendable (DatabaseEngine) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// A migration whose SQL is the same on both engines.
    package init(version: Int, name: String, sql: [String]) {
        self.init(version: version, name: name) { _ in sql }
    }
}
