import Foundation
import PackagePlugin

/// Embeds the target's `openapi.yaml` into the binary as `OpenAPIDocument.yaml`, so `GET /openapi.yaml`
/// serves the exact document the server was generated from, with no resource bundle to ship; and
/// writes `OpenAPIOperation.all`, the table of its operations and their `x-permission`, with the
/// `openapi-permission-table` tool, which fails the build on an operation without a known one.
@main
struct EmbedOpenAPIDocument: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let input = target.directoryURL.appending(path: "openapi.yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument+yaml.swift")
        let table = context.pluginWorkDirectoryURL.appending(path: "OpenAPIOperation+all.swift")
        let script = """
            { printf 'package enum OpenAPIDocument {\\n    /// The OpenAPI document, as committed in openapi.yaml.\\n    package static let yaml = #\"\"\"\\n'; \
            cat "$1"; printf '\\n\"\"\"#\\n}\\n'; } > "$2"
            """
        return [
            .buildCommand(
                displayName: "Embedding openapi.yaml",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "embed", input.path, output.path],
                inputFiles: [input],
                outputFiles: [output]
            ),
            .buildCommand(
                displayName: "Checking x-permission and writing the operation table of openapi.yaml",
                executable: try context.tool(named: "openapi-permission-table").url,
                arguments: [input.path, table.path],
                inputFiles: [input],
                outputFiles: [table]
            ),
        ]
    }
}
