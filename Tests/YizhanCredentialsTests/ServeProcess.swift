import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import YizhanStorage
import YizhanTesting

/// One `yizhan serve` process of the build under test, on a loopback port, logging to a file.
final class ServeProcess: Sendable {
    let process: Process
    let port: Int
    let log: URL

    private init(process: Process, port: Int, log: URL) {
        self.process = process
        self.port = port
        self.log = log
    }

    /// Starts `yizhan serve` with `environment` added to a clean one (no other `YIZHAN_*`).
    static func start(_ environment: [String: String], logDirectory: URL, name: String) throws -> ServeProcess {
        let port = try LoopbackPort.free()
        let log = logDirectory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = BuiltProduct.executable("yizhan")
        process.arguments = ["serve", "--port", String(port)]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("YIZHAN_") }
            .merging(environment) { _, given in given }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return ServeProcess(process: process, port: port, log: log)
    }

    /// Waits until `/health/ready` answers 200; fails the test if the process exits first.
    func waitUntilReady(within limit: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                Issue.record("yizhan serve exited during start:\n\(logTail)")
                throw CancellationError()
            }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health/ready")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("yizhan serve was not ready in time:\n\(logTail)")
        throw CancellationError()
    }

    /// `POST path` with a JSON body and an API key; the status and the body.
    func post(_ path: String, apiKey: String, json: [String: Any]) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "X-API-Key", value: apiKey)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// SIGTERM, then the exit status once the process has drained.
    func stop() async -> Int32 {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGTERM) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        return process.terminationStatus
    }

    /// Ends the process at once (cleanup after a failure).
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// The end of its log, for a failure message.
    var logTail: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(30).joined(separator: "\n")
    }
}

/// A database made for one test that `yizhan serve` processes share: a PostgreSQL schema of its
/// own, or `yizhan.sqlite` in a data directory of its own. The servers migrate it.
struct ServedDatabase: Sendable {
    let test: TestDatabase
    /// What tells `yizhan serve` where it is.
    let environment: [String: String]
    /// Where the servers' logs go.
    let directory: URL

    /// Runs `body`, then removes the database and the directory.
    static func with(_ engine: DatabaseEngine, _ body: @Sendable (ServedDatabase) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-tests/served-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let served: ServedDatabase
        switch engine {
        case .sqlite:
            let test = TestDatabase.existing(.sqlite, location: directory.appendingPathComponent("yizhan.sqlite").path)
            served = ServedDatabase(test: test, environment: ["YIZHAN_DATA_DIR": directory.path], directory: directory)
        case .postgres:
            let test = try await TestDatabase.create(.postgres)
            served = ServedDatabase(test: test, environment: ["YIZHAN_DATABASE_URL": test.location], directory: directory)
        }
        do {
            try await body(served)
        } catch {
            try? await served.test.remove()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        try await served.test.remove()
        try? FileManager.default.removeItem(at: directory)
    }
}
