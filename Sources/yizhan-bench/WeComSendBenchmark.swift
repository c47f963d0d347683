import Foundation
import WeComKit

/// Sends `count` text messages through `WeComClient` with `concurrency` in flight, and prints the rate.
func benchmarkWeComSend(baseURL: String, count: Int, concurrency: Int) async throws {
    let client = WeComClient(configuration: .init(baseURL: baseURL, corpID: "wwbench", agentID: 1000002, secret: "bench-secret"))
    _ = try await client.send(.text("warm-up"), to: .init(users: ["bench"]))
    let start = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func add() {
            let index = next
            next += 1
            group.addTask { _ = try await client.send(.text("message \(index)"), to: .init(users: ["bench"])) }
        }
        for _ in 0..<min(concurrency, count) { add() }
        while try await group.next() != nil {
            if next < count { add() }
        }
    }
    let seconds = Date().timeIntervalSince(start)
    print("WeComKit: \(count) messages at concurrency \(concurrency) in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds)) messages/s")
}
