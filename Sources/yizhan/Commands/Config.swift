import ArgumentParser
import Foundation
import YizhanServer

/// `yizhan config`: prints the effective configuration, secrets redacted.
struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the effective configuration (secrets redacted).")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let loaded = try await options.load()
        let entries = loaded.configuration.redactedEntries
        let width = entries.map(\.key.name.count).max() ?? 0
        for (key, value) in entries {
            let padded = key.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let source = loaded.sources[key.name] ?? "default"
            print("\(padded)  \(value)  (\(source); \(key.environmentVariable))")
        }
    }
}
