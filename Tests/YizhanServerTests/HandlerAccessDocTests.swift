import Foundation
import Testing
import YizhanAPI

/// The `/// Access:` line above each handler method says what its operation requires; these tests keep
/// it true to `x-permission` in openapi.yaml (the build-time `OpenAPIOperation.all`).
@Suite
struct HandlerAccessDocTests {
    @Test
    func everyHandlerMethodStatesItsOperationsXPermission() throws {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Sources/YizhanServer/API")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("APIHandler") && $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        var stated: [String: String] = [:]  // operation id: the permission its Access line names
        for file in files {
            let lines = try String(contentsOf: directory.appending(path: file), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                guard let name = Self.handlerName(line) else { continue }
                stated[name] = index > 0 ? Self.accessValue(lines[index - 1]) : nil
            }
        }
        for operation in OpenAPIOperation.all {
            #expect(
                stated[operation.operationID] == operation.permission,
                "\(operation): the handler's Access line says '\(stated[operation.operationID] ?? "nothing")', openapi.yaml says '\(operation.permission)'")
        }
    }

    /// `listUsers` of `    func listUsers(_ input: Operations.ListUsers.Input) …`.
    private static func handlerName(_ line: Substring) -> String? {
        let prefix = "    func "
        guard line.hasPrefix(prefix), line.contains("(_ input: Operations.") else { return nil }
        return String(line.dropFirst(prefix.count).prefix { $0 != "(" })
    }

    /// `users:read` of ``    /// Access: `users:read` (…)``.
    private static func accessValue(_ line: Substring) -> String? {
        let prefix = "    /// Access: `"
        guard line.hasPrefix(prefix) else { return nil }
        return String(line.dropFirst(prefix.count).prefix { $0 != "`" })
    }
}
