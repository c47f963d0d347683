/// A configuration value that is missing, malformed or out of range. Never repeats a secret value.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The offending keys and what is wrong with each.
    package var problems: [(key: String, message: String)]

    package init(problems: [(key: String, message: String)]) {
        self.problems = problems
    }

    package init(key: String, message: String) {
        self.init(problems: [(key, message)])
    }

    package var description: String {
        "invalid configuration: " + problems.map { "\($0.key): \($0.message)" }.joined(separator: "; ")
    }
}
