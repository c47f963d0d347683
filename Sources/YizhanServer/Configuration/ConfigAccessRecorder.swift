import Configuration
import Synchronization

/// Records, for each key read, which provider supplied the value and whether a value could not be
/// converted (e.g. `YIZHAN_PORT=abc`), which swift-configuration otherwise replaces by the default.
final class ConfigAccessRecorder: AccessReporter, Sendable {
    private struct State {
        var sources: [String: String] = [:]
        var problems: [(key: String, message: String)] = []
    }

    private let state = Mutex(State())

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.dropFirst(event.metadata.key.components.first == "yizhan" ? 1 : 0)
            .joined(separator: ".")
        let supplier = event.providerResults.first { result in
            if case .success(let lookup) = result.result { return lookup.value != nil }
            return false
        }
        let failed = event.providerResults.first { result in
            if case .failure = result.result { return true }
            return false
        }
        state.withLock { state in
            if let failed {
                state.problems.append((key, "the value from \(Self.sourceName(failed.providerName)) is not a valid \(event.metadata.valueType)"))
            } else if event.conversionError != nil {
                state.problems.append((key, "the value is not a valid \(event.metadata.valueType)"))
            }
            state.sources[key] = supplier.map { Self.sourceName($0.providerName) } ?? "default"
        }
    }

    var sources: [String: String] { state.withLock { $0.sources } }
    var problems: [(key: String, message: String)] { state.withLock { $0.problems } }

    private static func sourceName(_ providerName: String) -> String {
        if providerName.contains("flag") { return "flag" }
        if providerName.contains("Environment") { return "environment" }
        if providerName.contains("File") { return "file" }
        return providerName
    }
}
