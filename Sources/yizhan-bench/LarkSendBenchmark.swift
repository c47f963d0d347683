import Foundation
import LarkKit

/// Sends `count` text messages through `LarkClient` with `concurrency` in flight, and prints the rate.
func benchmarkLarkSend(baseURL: String, count: Int, concurrency: Int) async throws {
    let client = LarkClient(configuration: .init(baseURL: baseURL, appID: "cli_bench", appSecret: "bench-secret"))
    _ = try await client.sendMessage(to: .openID("ou_bench"), content: .text("warm-up"))
    let start = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func add() {
            let index = next
            next += 1
            group.addTask { _ = try await client.sendMessage(to: .openID("ou_bench"), content: .text("message \(index)")) }
        }
        for _ in 0..<min(concurrency, count) { add() }
        while try await group.next() != nil {
            if next < count { add() }
        }
    }
    let seconds = Date().timeIntervalSince(start)
    print("LarkKit: \(count) messages at concurrency \(concurrency) in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds)) messages/s")
}
