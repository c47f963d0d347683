import ArgumentParser
import Foundation
import YizhanCore
import YizhanCredentials
import YizhanServer

/// `yizhan keys generate|rotate`: master keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Make master keys and seal every stored secret under the first one.",
        subcommands: [Generate.self, Rotate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new master key (base64, 32 bytes) on standard output, or write it to a new file.")

        @Option(help: "Write the key to this new file (mode 0600) instead; an existing file is never overwritten.")
        var output: String?

        func run() async throws {
            let key = SecretVault.generateMasterKey()
            guard let output else {
                print(key)
                return
            }
            do {
                guard try MasterKeyFile.create(at: output, key: key) else { Terminal.fail("\(output) exists; it was not overwritten") }
            } catch {
                Terminal.fail("\(error)")
            }
            let id = try SecretVault(masterKeys: key).sealingKeyID
            FileHandle.standardError.write(Data("wrote master key \(id) to \(output)\n".utf8))
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal every stored secret and token again under the first configured master key, while servers run.",
            discussion: """
                Configure the new key first and the old ones after it (YIZHAN_MASTER_KEY="new,old") on every \
                server and restart them, then run this. Exits non-zero while any value is left under another key.
                """)

        @OptionGroup var options: ConfigOptions
        @Option(name: .customLong("batch-size"), help: "Rows written per transaction.") var batchSize = 100

        func validate() throws {
            guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 10000.") }
        }

        func run() async throws {
            let batchSize = batchSize
            try await AdminCommand.run(options) { (services: ServerDependencies) in
                let report = try await services.credentials.keyRotation.rotate(batchSize: batchSize)
                print("sealing key \(report.sealingKeyID)")
                for kind in KeyRotationReport.Kind.allCases {
                    print(Rotate.line(kind, report.counts[kind] ?? .init()))
                }
                let missing = Set(report.counts.values.flatMap(\.unknownKeys.keys)).sorted()
                if !missing.isEmpty {
                    throw YizhanError(
                        .masterKeyMissing,
                        "values sealed under master key(s) \(missing.joined(separator: ", ")) were left as they are: "
                            + "add those keys after the first one and run again")
                }
                if !report.isComplete {
                    throw YizhanError(.conflict, "some values were damaged or kept changing and were left as they are; run again")
                }
            }
        }

        static func line(_ kind: KeyRotationReport.Kind, _ counts: KeyRotationReport.Counts) -> String {
            var line = kind.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
                + "resealed \(counts.resealed)  current \(counts.current)  unopenable \(counts.unopenable)"
            var reasons = counts.unknownKeys.sorted { $0.key < $1.key }.map { "key \($0.key): \($0.value)" }
            if counts.damaged > 0 { reasons.append("damaged: \(counts.damaged)") }
            if !reasons.isEmpty { line += " (" + reasons.joined(separator: ", ") + ")" }
            if counts.busy > 0 { line += "  kept changing \(counts.busy)" }
            return line
        }
    }
}
