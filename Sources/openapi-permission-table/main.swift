import Foundation

// Reads openapi.yaml and writes the Swift table of its operations and their `x-permission`.
// The EmbedOpenAPIDocument build plugin runs this; a document that fails the checks fails the build.
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: openapi-permission-table <openapi.yaml> <output.swift>\n".utf8))
    exit(2)
}
let input = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])
do {
    let table = try OperationTable(document: String(contentsOf: input, encoding: .utf8))
    try Data(table.swiftSource.utf8).write(to: output, options: .atomic)
} catch let problems as OperationTable.Problems {
    // `file:line:column: error: …`, the form the build log and editors show at the line.
    for problem in problems.list {
        let location = problem.line.map { "\(input.path):\($0):\(problem.column ?? 1)" } ?? input.path
        FileHandle.standardError.write(Data("\(location): error: \(problem.message)\n".utf8))
    }
    exit(1)
} catch {
    FileHandle.standardError.write(Data("\(input.path): error: \(error)\n".utf8))
    exit(1)
}
