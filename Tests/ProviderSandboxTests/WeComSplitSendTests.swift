import Foundation
import NIOCore
import ProviderSandbox
import Testing
import WeComKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends to more recipients than one `message/send` takes are split, and their answers merged.
@Suite(.timeLimit(.minutes(1)))
struct WeComSplitSendTests {
    /// 2,200 members, u0…u2199; u0…u119 are in departments 1…120 (one each).
    static let seed: String = {
        let users = (0..<2200).map { index in
            let department = index < 120 ? #", "department": [\#(index + 1)]"# : ""
            return #"{"corp_id": "wwcorp", "userid": "u\#(index)", "name": "U\#(index)"\#(department)}"#
        }
        return """
            {"wecom": {"apps": [{"corp_id": "wwcorp", "agent_id": 1000002, "secret": "app-secret"}],
                       "users": [\(users.joined(separator: ","))]}}
            """
    }()

    static func configuration(_ baseURL: String) -> WeComClient.Configuration {
        WeComClient.Configuration(baseURL: baseURL, corpID: "wwcorp", agentID: 1000002, secret: "app-secret", timeout: .seconds(5))
    }

    /// The app's real token, and before the `step`-th request a call to the sandbox's control API
    /// (a fault), so one request of a split send can be made to fail.
    actor SteppedTokens: TokenSource {
        let fetcher: WeComClient
        let baseURL: String
        let steps: [Int: String]
        private var requests = 0

        init(baseURL: String, steps: [Int: String]) {
            self.fetcher = WeComClient(configuration: WeComSplitSendTests.configuration(baseURL))
            self.baseURL = baseURL
            self.steps = steps
        }

        func token() async throws(WeComError) -> String {
            requests += 1
            // The token first: a forced error meets the next call, which must be the send.
            let token = try await fetcher.fetchToken().token
            if let fault = steps[requests] { try? await control(baseURL, "/_sandbox/faults", fault) }
            return token
        }

        func invalidate(_ token: String) async {}
    }

    static let users = (0..<2200).map { "u\($0)" }

    @Test
    func aSendToMoreThanOneRequestTakesIsSplitAndTheAnswersMerged() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let client = WeComClient(configuration: Self.configuration(baseURL))
            let parties = (1...150).map(String.init)  // 121…150 are unknown
            let result = try await client.send(
                .text("all hands"), to: .init(users: Self.users + ["Ghost1", "ghost2"], parties: parties))
            #expect(result.messageIDs.count == 3)  // 2,202 members: 1,000 + 1,000 + 202; 150 departments: 100 + 50
            #expect(result.messageID == result.messageIDs.first)
            #expect(result.invalidUsers == ["ghost1", "ghost2"])
            #expect(result.invalidParties == (121...150).map(String.init))
            #expect(result.failures.isEmpty)
            let accepted = try await wecomMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }
            // WeCom dedupes within a request only: u100…u119 are named in the first request and
            // reached again through departments 101…120 in the second.
            #expect(accepted.count == 2220)
            #expect(Set(accepted.compactMap { $0["recipient"] as? String }) == Set(Self.users))
        }
    }

    @Test
    func theSandboxRefusesMoreRecipientsThanOneRequestTakes() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let token = try await WeComClient(configuration: Self.configuration(baseURL)).fetchToken().token
            let cases = [
                (#""touser": "\#(Self.users.prefix(1001).joined(separator: "|"))""#, 40032),
                (#""toparty": "\#((1...101).map(String.init).joined(separator: "|"))""#, 82002),
                (#""totag": "\#((1...101).map(String.init).joined(separator: "|"))""#, 82003),
            ]
            for (recipients, errcode) in cases {
                var request = URLRequest(url: URL(string: baseURL + "/cgi-bin/message/send?access_token=\(token)")!)
                request.httpMethod = "POST"
                request.httpBody = Data(#"{\#(recipients), "msgtype": "text", "agentid": 1000002, "text": {"content": "x"}}"#.utf8)
                let (data, _) = try await URLSession.shared.data(for: request)
                #expect((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["errcode"] as? Int == errcode)
            }
        }
    }

    @Test
    func aRequestWhoseRecipientsAreAllInvalidCountsThemAsInvalid() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let client = WeComClient(configuration: Self.configuration(baseURL))
            let nobody = (0..<1000).map { "nobody\($0)" }
            let result = try await client.send(.text("x"), to: .init(users: Self.users.prefix(5) + nobody))
            #expect(result.messageIDs.count == 1)  // the second request was all invalid (81013)
            #expect(result.invalidUsers.count == 1000)
            #expect(!result.reachedEveryone)
            let error = await #expect(throws: WeComError.self) { try await client.send(.text("x"), to: .init(users: nobody + nobody)) }
            #expect(error?.errcode == 81013)
        }
    }

    @Test
    func aLostAnswerMidSendIsReportedWithItsRecipientsAndTheRestStillGo() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let tokens = SteppedTokens(baseURL: baseURL, steps: [2: #"{"provider": "wecom", "app_id": "wwcorp", "kind": "drop_response"}"#])
            let client = WeComClient(configuration: Self.configuration(baseURL), tokens: tokens)
            let result = try await client.send(.text("x"), to: .init(users: Self.users))
            #expect(result.messageIDs.count == 2)
            #expect(result.failures.count == 1)
            #expect(result.failures.first?.recipients.users == Array(Self.users[1000..<2000]))
            #expect(result.failures.first?.error.category == .maybeDelivered)
            #expect(!result.reachedEveryone)
        }
    }

    @Test
    func aRateLimitMidSendStopsItAndListsEveryRequestNotDone() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let fault = #"{"provider": "wecom", "app_id": "wwcorp", "kind": "force_error", "code": 45009, "http_status": 200}"#
            let client = WeComClient(configuration: Self.configuration(baseURL), tokens: SteppedTokens(baseURL: baseURL, steps: [2: fault]))
            let result = try await client.send(.text("x"), to: .init(users: Self.users))
            #expect(result.messageIDs.count == 1)
            #expect(result.failures.map(\.recipients.users.count) == [1000, 200])
            #expect(result.failures.allSatisfy { $0.error.category == .rateLimited(retryAfter: WeComError.frequencyBlock) })
            let accepted = try await wecomMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }
            #expect(accepted.count == 1000)
        }
    }

    @Test
    func theFirstRequestFailingFailsTheSendAsOneRequestWould() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let fault = #"{"provider": "wecom", "app_id": "wwcorp", "kind": "force_error", "code": 45009, "http_status": 200}"#
            let client = WeComClient(configuration: Self.configuration(baseURL), tokens: SteppedTokens(baseURL: baseURL, steps: [1: fault]))
            let error = await #expect(throws: WeComError.self) { try await client.send(.text("x"), to: .init(users: Self.users)) }
            #expect(error?.errcode == 45009)
            let accepted = try await wecomMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }
            #expect(accepted.isEmpty)
        }
    }
}
