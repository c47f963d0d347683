/// The secrets of one app, opened from their sealed form for a provider call. Never logged: its
/// description names the secrets, not their values.
package struct AppSecrets: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var values: [String: String]

    package init(_ values: [String: String]) { self.values = values }

    package subscript(name: String) -> String? { values[name] }

    package var description: String { "AppSecrets(\(values.keys.sorted().joined(separator: ", ")))" }
    package var debugDescription: String { description }
    /// `dump` and `Mirror` see the names only.
    package var customMirror: Mirror { Mirror(self, children: ["names": values.keys.sorted()]) }
}
