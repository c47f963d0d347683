/// A configuration value that is missing, malformed or out of range. Never repeats a secret value.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The offending keys and what is wrong with each.
    public var problems: [(key: String, message: String)]

    public init(problems: [(key: String, message: String)]) {
        self.problems = problems
    }

    public init(key: String, message: String) {
        self.init(problems: [(key, message)])
    }

    public var description: String {
        "invalid configuration: " + problems.map { "\($0.key): \($0.message)" }.joined(separator: "; ")
    }
}
