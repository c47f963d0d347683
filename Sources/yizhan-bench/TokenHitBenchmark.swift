import Foundation
import LarkKit
import Logging
import ProviderKitSupport
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanStorageSQLite

/// `yizhan-bench tokens [ROUNDS [CALLS]]`: the hit path of `token()` with 64 concurrent callers,
/// Yizhan's token pool beside LarkKit's in-memory cache in the same run (scripts/bench/tokens.sh).
///
/// Both are warm and hold a token with hours left, so every call is a hit. The pool is the one
/// `yizhan serve` builds (`ServerDependencies`, with its metrics observer) and is called as a
/// `LarkClient` calls it, through `larkTokens(for:)`; the cache is
/// `LarkTenantTokenCache`, what a `LarkClient` without a token source uses. Each round times every
/// call of 64 tasks (CALLS each) on each side, the two sides one after the other and in alternating
/// order, and prints the median, p99 and calls per second; the last line is the median over the
/// rounds of the pool's median, p99 and calls per second divided by the cache's.
func benchmarkTokenHits(_ arguments: [String]) async throws {
    let rounds = arguments.first.flatMap(Int.init) ?? 6
    let calls = arguments.dropFirst().first.flatMap(Int.init) ?? 20_000
    let callers = 64
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-tokens-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let database = try SQLiteDatabase(configuration: .init(path: directory.appendingPathComponent("yizhan.sqlite").path), logger: quiet)
    try await database.whileRunning {
        _ = try await Migrator(database: database, migrations: ServerDependencies.migrations, logger: quiet).migrate()
        var configuration = YizhanConfiguration()
        configuration.masterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: quiet)
        let tenant = try await dependencies.identity.tenants.create(code: "bench", name: "Bench", quotas: .init(), owner: nil).tenant.id
        let app = try await dependencies.credentials.apps.create(
            .init(name: "Bench", provider: .lark, credentials: ["app_id": "cli_bench", "app_secret": "bench-secret"]), tenantID: tenant)
        let fetched = FetchedToken(token: "t-bench-token", expiresIn: 7200)
        let pool = dependencies.credentials.tokens
        _ = try await pool.token(TokenKey(appID: app.id, kind: .larkTenant)) { fetched }
        let pooled = pool.larkTokens(for: app)
        let cache = LarkTenantTokenCache { () async throws(LarkError) in ("t-bench-token", 7200) }
        _ = try await cache.token()

        print("token() hits, \(callers) concurrent callers × \(calls) calls, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(columns("round", "source", "median ns", "p99 ns", "calls/s"))
        var ratios: [(median: Double, p99: Double, rate: Double)] = []
        for round in 1...rounds {
            var results: [String: HitTimes] = [:]
            let order: [(String, any TokenSource<LarkError>)] = [("token pool", pooled), ("LarkKit cache", cache)]
            for (name, source) in round % 2 == 1 ? order : order.reversed() {
                let times = try await HitTimes.measure(source, callers: callers, calls: calls)
                results[name] = times
                print(columns(String(round), name, String(times.median), String(times.p99), String(times.perSecond)))
            }
            let pool = results["token pool"]!, cache = results["LarkKit cache"]!
            ratios.append((
                Double(pool.median) / Double(cache.median), Double(pool.p99) / Double(cache.p99),
                Double(pool.perSecond) / Double(cache.perSecond)))
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print(String(
            format: "pool / cache, median over %d rounds: median %.3f×, p99 %.3f× (goal: at most 1.5×); calls/s %.2f×",
            rounds, median(ratios.map(\.median)), median(ratios.map(\.p99)), median(ratios.map(\.rate))))
    }
}

/// One line of the table: two left-aligned columns, three right-aligned.
private func columns(_ round: String, _ source: String, _ median: String, _ p99: String, _ rate: String) -> String {
    func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
    return round.padding(toLength: 6, withPad: " ", startingAt: 0) + " " + source.padding(toLength: 14, withPad: " ", startingAt: 0)
        + right(median, 11) + right(p99, 10) + right(rate, 12)
}

/// The timed calls of one side of a round.
struct HitTimes {
    var median: Int
    var p99: Int
    var perSecond: Int

    /// Times every `token()` call of `callers` tasks making `calls` calls each.
    static func measure(_ source: any TokenSource<LarkError>, callers: Int, calls: Int) async throws -> HitTimes {
        let clock = ContinuousClock()
        let start = clock.now
        let samples = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var samples: [Int] = []
                    samples.reserveCapacity(calls)
                    for _ in 0..<calls {
                        let before = clock.now
                        _ = try await source.token()
                        let (seconds, attoseconds) = (clock.now - before).components
                        samples.append(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }.sorted()
        }
        let elapsed = (clock.now - start) / .seconds(1)
        return HitTimes(
            median: samples[samples.count / 2], p99: samples[samples.count * 99 / 100],
            perSecond: Int(Double(samples.count) / elapsed))
    }
}
