import ArgumentParser
import Foundation
import YizhanCredentials

/// Where `yizhan apps add` reads an app's secrets: a JSON file, standard input, or a prompt that
/// does not echo. Never a flag, whose value would land in the shell's history and `ps`.
struct AppSecretsInput: ParsableArguments {
    @Option(name: .customLong("secrets-file"), help: "A JSON object of the app's secrets, e.g. {\"app_secret\": \"…\"}.")
    var file: String?

    @Flag(name: .customLong("secrets-stdin"), help: "Read that JSON object from standard input.")
    var fromStandardInput = false

    func validate() throws {
        if file != nil && fromStandardInput { throw ValidationError("Give --secrets-file or --secrets-stdin, not both.") }
    }

    /// The secrets of a `provider` app. Without a file or `--secrets-stdin`, each secret is asked
    /// for in turn when standard input is a terminal.
    /// - Throws: `ValidationError` naming what is wrong, never repeating a value.
    func read(for provider: AppProvider) throws -> [String: String] {
        let secrets: [String: String]
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
            secrets = try Self.decode(data, from: file)
        } else if fromStandardInput {
            secrets = try Self.decode(FileHandle.standardInput.readDataToEndOfFile(), from: "standard input")
        } else if Terminal.standardInputIsTerminal {
            secrets = Self.prompt(for: provider)
        } else {
            throw ValidationError("Give the app's secrets with --secrets-file or --secrets-stdin (they are never taken from a flag).")
        }
        let allowed = provider.fields.filter(\.isSecret).map(\.name)
        for name in secrets.keys.sorted() where !allowed.contains(name) {
            if provider.fields.contains(where: { $0.name == name }) {
                throw ValidationError("\(name) is not a secret: give it with --set \(name)=….")
            }
            throw ValidationError("\(name) is not a secret of a \(provider.rawValue) app (\(allowed.joined(separator: ", "))).")
        }
        return secrets
    }

    private static func decode(_ data: Data, from source: String) throws -> [String: String] {
        guard let secrets = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw ValidationError("The secrets in \(source) are not a JSON object of strings.")
        }
        return secrets
    }

    /// Asks for each secret of `provider`, without echo; an optional one may be left empty.
    private static func prompt(for provider: AppProvider) -> [String: String] {
        var secrets: [String: String] = [:]
        for field in provider.fields where field.isSecret {
            let prompt = field.isRequired ? "\(field.name): " : "\(field.name) (optional, Enter to skip): "
            if let value = Terminal.readHidden(prompt: prompt), !value.isEmpty { secrets[field.name] = value }
        }
        return secrets
    }
}
