import Foundation
import SQLKit
import Testing
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

/// Looking people up in a Lark or WeCom app's directory through the sandbox over real HTTP, on both
/// engines, and the contact cache: provider calls are counted by the sandbox (`GET /_sandbox/stats`).
@Suite(.timeLimit(.minutes(3)))
struct ContactDirectoryTests {
    static let batchGetID = "/open-apis/contact/v3/users/batch_get_id"
    static let getUser = "/open-apis/contact/v3/users/{user_id}"
    static let byEmail = "/cgi-bin/user/get_userid_by_email"
    static let byMobile = "/cgi-bin/user/getuserid"

    @Test(arguments: TestEngines.all)
    func larkPeopleAreFoundByEmailAndMobileAndTheSecondLookupIsServedFromTheCache(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox)
            let contacts = fixture.credentials.contacts

            let alice = try await contacts.find(lark, email: "  Alice@Corp.Example ")
            #expect(alice.provider == .lark && alice.lookup == .email("alice@corp.example"))
            #expect(alice.openID == "ou_alice" && alice.unionID == "on_alice" && alice.userID == "alice" && !alice.fromCache)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 1)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.getUser) == 1)

            let again = try await contacts.find(lark, email: "alice@corp.example")
            #expect(again.fromCache && again.openID == "ou_alice" && again.unionID == "on_alice" && again.userID == "alice")
            #expect(again.lookedUpAt == alice.lookedUpAt)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 1)

            let byMobile = try await contacts.find(lark, mobile: "+8613800000001")
            #expect(byMobile.lookup == .mobile("+8613800000001") && byMobile.openID == "ou_alice" && !byMobile.fromCache)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 2)
            // A plus that a query string turned into a space is a plus.
            let plus = try await contacts.find(lark, mobile: " 8613800000001")
            #expect(plus.fromCache && plus.lookup == .mobile("+8613800000001"))

            // Bob has no union_id or user_id at the provider: they are absent, not made up.
            let bob = try await contacts.find(lark, email: "bob@corp.example")
            #expect(bob.openID == "ou_bob" && bob.unionID == nil && bob.userID == nil)
            let bobAgain = try await contacts.find(lark, email: "bob@corp.example")
            #expect(bobAgain.fromCache && bobAgain.openID == "ou_bob" && bobAgain.unionID == nil)

            let refreshed = try await contacts.find(lark, email: "alice@corp.example", refresh: true)
            #expect(!refreshed.fromCache && refreshed.openID == "ou_alice")
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 4)
            #expect(try await Self.cachedRows(database) == 3)
        }
    }

    @Test(arguments: TestEngines.all)
    func wecomMembersAreFoundByEmailAndMobileAndCached(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, _, wecom) = try await Self.apps(database, sandbox: sandbox)
            let contacts = fixture.credentials.contacts

            let zhang = try await contacts.find(wecom, email: "ZhangSan@Corp.Example")
            #expect(zhang.provider == .wecom && zhang.userID == "zhangsan" && zhang.openID == nil && !zhang.fromCache)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byEmail) == 1)
            let cached = try await contacts.find(wecom, email: "zhangsan@corp.example")
            #expect(cached.fromCache && cached.userID == "zhangsan")
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byEmail) == 1)

            // A personal address is found on the second ask (the corporate mailbox first).
            let lisi = try await contacts.find(wecom, email: "lisi@home.example")
            #expect(lisi.userID == "lisi" && !lisi.fromCache)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byEmail) == 3)
            #expect(try await contacts.find(wecom, email: "lisi@home.example").fromCache)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byEmail) == 3)

            let byMobile = try await contacts.find(wecom, mobile: "13800000002")
            #expect(byMobile.userID == "zhangsan" && byMobile.lookup == .mobile("13800000002"))
            _ = try await contacts.find(wecom, mobile: "13800000002")
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byMobile) == 1)
            _ = try await contacts.find(wecom, mobile: "13800000002", refresh: true)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byMobile) == 2)
        }
    }

    @Test(arguments: TestEngines.all)
    func anUnknownPersonIsContactNotFoundAndTheMissIsKeptSoTheProviderIsNotAskedAgain(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox)
            let contacts = fixture.credentials.contacts
            for round in 0..<2 {
                #expect(await contacts.missFromCache(lark, email: "nobody@corp.example") == (round == 1))
                #expect(await contacts.missFromCache(wecom, mobile: "13900000000") == (round == 1))
                // An email no member has is asked as a corp mailbox, then as a personal address:
                // two failures at WeCom the first time, none the second.
                #expect(await contacts.missFromCache(wecom, email: "nobody@corp.example") == (round == 1))
            }
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 1)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.getUser) == 0)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byMobile) == 1)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byEmail) == 2)
            #expect(try await sandbox.stats("wecom", "wwdir")["errors"] as? [String: Int] == ["46004": 3])
            #expect(try await Self.cachedRows(database) == 3)

            // `refresh` asks again, and a miss stays a miss.
            #expect(await contacts.missFromCache(wecom, email: "nobody@corp.example", refresh: true) == false)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byEmail) == 4)
            #expect(await contacts.missFromCache(wecom, email: "nobody@corp.example") == true)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byEmail) == 4)
            #expect(try await Self.cachedRows(database) == 3)
        }
    }

    @Test(arguments: TestEngines.all)
    func anEmptyUserIDFromLarkIsNobodyNeverAContactWithAnEmptyOpenID(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox)
            // The sandbox answers batch_get_id with the seeded open_id as it is: here "".
            try await sandbox.control("/_sandbox/lark/users", #"{"open_id": "", "email": "blank@corp.example", "name": "Blank"}"#)
            let contacts = fixture.credentials.contacts
            #expect(await contacts.missFromCache(lark, email: "blank@corp.example") == false)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.getUser) == 0)
            #expect(await contacts.missFromCache(lark, email: "blank@corp.example") == true)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 1)
            let openIDs = try await database.withConnection { work in
                try await work.raw("SELECT open_id FROM contact_cache").all().map { try $0.decode(column: "open_id", as: String?.self) }
            }
            #expect(openIDs == [nil])
        }
    }

    @Test(arguments: TestEngines.all)
    func aMissIsKeptAnHourUnlessRefreshedAndThenAskedAgainAndPruned(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let clock = ManualTimeSource()
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox, clock: clock)
            let contacts = fixture.credentials.contacts
            #expect(await contacts.missFromCache(lark, email: "carol@corp.example") == false)
            #expect(await contacts.missFromCache(wecom, mobile: "13900000000") == false)
            #expect(try await Self.cachedRows(database) == 2)

            // Carol joins: the kept miss still answers, without asking, until its hour is over…
            try await sandbox.control("/_sandbox/lark/users", #"{"open_id": "ou_carol", "email": "carol@corp.example", "name": "Carol"}"#)
            clock.advance(by: .seconds(3599))
            #expect(await contacts.missFromCache(lark, email: "carol@corp.example") == true)
            #expect(try await contacts.prune() == 0)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 1)
            // …or a refresh finds her, and she replaces the miss (kept for a day).
            let carol = try await contacts.find(lark, email: "carol@corp.example", refresh: true)
            #expect(carol.openID == "ou_carol" && !carol.fromCache)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 2)
            #expect(try await contacts.find(lark, email: "carol@corp.example").fromCache)
            #expect(try await Self.cachedRows(database) == 2)

            clock.advance(by: .seconds(1))  // The WeCom miss is an hour old; Carol's entry a second.
            #expect(try await contacts.prune() == 1)
            #expect(try await Self.cachedRows(database) == 1)
            #expect(try await contacts.find(lark, email: "carol@corp.example").openID == "ou_carol")
            #expect(await contacts.missFromCache(wecom, mobile: "13900000000") == false)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byMobile) == 2)

            // An expired miss is not served even before the prune.
            clock.advance(by: .seconds(3600))
            #expect(await contacts.missFromCache(wecom, mobile: "13900000000") == false)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byMobile) == 3)
            #expect(try await Self.cachedRows(database) == 2)
        }
    }

    @Test(arguments: TestEngines.all)
    func aMissIsForgottenWithTheAppsSecretAndAShorterMissTimeToLiveIsHonoured(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let clock = ManualTimeSource()
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox, clock: clock)
            #expect(await fixture.credentials.contacts.missFromCache(lark, email: "nobody@corp.example") == false)
            #expect(try await Self.cachedRows(database) == 1)
            _ = try await fixture.credentials.apps.update(
                id: lark.id, tenantID: lark.tenantID, AppChanges(secrets: ["app_secret": "LARKdirSECRET"]))
            #expect(try await Self.cachedRows(database) == 0)

            let credentials = Credentials(
                database: database, identity: fixture.identity, vault: try SecretVault(masterKeys: CredentialsFixture.masterKey), clock: clock,
                egress: CredentialsFixture.sandboxEgress, contactMissTimeToLive: .seconds(60))
            #expect(await credentials.contacts.missFromCache(lark, email: "nobody@corp.example") == false)
            clock.advance(by: .seconds(59))
            #expect(await credentials.contacts.missFromCache(lark, email: "nobody@corp.example") == true)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 2)
            clock.advance(by: .seconds(1))
            #expect(await credentials.contacts.missFromCache(lark, email: "nobody@corp.example") == false)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 3)
        }
    }

    @Test(arguments: TestEngines.all)
    func afterADayTheProviderIsAskedAgainAndThePruneDeletesOnlyExpiredRows(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let clock = ManualTimeSource()
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox, clock: clock)
            let contacts = fixture.credentials.contacts
            _ = try await contacts.find(lark, email: "alice@corp.example")
            clock.advance(by: .seconds(12 * 3600))
            _ = try await contacts.find(lark, email: "bob@corp.example")
            #expect(try await contacts.prune() == 0)
            clock.advance(by: .seconds(12 * 3600 - 1))
            #expect(try await contacts.find(lark, email: "alice@corp.example").fromCache)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 2)

            clock.advance(by: .seconds(1))  // Alice's entry is a day old now; Bob's half a day.
            #expect(try await contacts.prune() == 1)
            #expect(try await Self.cachedRows(database) == 1)
            #expect(try await contacts.find(lark, email: "bob@corp.example").fromCache)
            let alice = try await contacts.find(lark, email: "alice@corp.example")
            #expect(!alice.fromCache && alice.lookedUpAt == clock.now())
            #expect(try await contacts.find(lark, email: "alice@corp.example").lookedUpAt == alice.lookedUpAt)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 3)
        }
    }

    @Test(arguments: TestEngines.all)
    func anExpiredEntryIsNotServedEvenBeforeThePrune(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let clock = ManualTimeSource()
            let (fixture, _, wecom) = try await Self.apps(database, sandbox: sandbox, clock: clock)
            let contacts = fixture.credentials.contacts
            _ = try await contacts.find(wecom, mobile: "13800000002")
            clock.advance(by: .seconds(86_400))
            let again = try await contacts.find(wecom, mobile: "13800000002")
            #expect(!again.fromCache)
            #expect(try await sandbox.calls("wecom", "wwdir", Self.byMobile) == 2)
            #expect(try await Self.cachedRows(database) == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func newSecretsOrABaseURLForgetTheAppsPeopleAndDeletingTheAppDeletesThem(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox)
            let contacts = fixture.credentials.contacts
            _ = try await contacts.find(lark, email: "alice@corp.example")
            _ = try await contacts.find(wecom, mobile: "13800000002")
            #expect(try await Self.cachedRows(database) == 2)

            // A rename keeps them; a new secret does not.
            _ = try await fixture.credentials.apps.update(id: lark.id, tenantID: lark.tenantID, AppChanges(name: "Renamed"))
            #expect(try await Self.cachedRows(database) == 2)
            _ = try await fixture.credentials.apps.update(
                id: lark.id, tenantID: lark.tenantID, AppChanges(secrets: ["app_secret": "LARKdirSECRET"]))
            #expect(try await Self.cachedRows(database) == 1)
            _ = try await contacts.find(lark, email: "alice@corp.example")
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 2)

            _ = try await fixture.credentials.apps.update(id: lark.id, tenantID: lark.tenantID, AppChanges(baseURL: sandbox.baseURL + "/"))
            #expect(try await Self.cachedRows(database) == 2, "the same base URL written again changes nothing")
            _ = try await fixture.credentials.apps.update(
                id: lark.id, tenantID: lark.tenantID,
                AppChanges(baseURL: sandbox.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost"), secrets: ["app_secret": "LARKdirSECRET"]))
            #expect(try await Self.cachedRows(database) == 1)

            _ = try await fixture.credentials.apps.delete(id: wecom.id, tenantID: wecom.tenantID)
            #expect(try await Self.cachedRows(database) == 0)
        }
    }

    @Test(arguments: TestEngines.all)
    func robotsMarketplaceAppsBadInputDisabledAppsAndOtherTenantsAreRefused(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox)
            let contacts = fixture.credentials.contacts
            let tenant = lark.tenantID
            for registration in [SampleApps.larkBot, SampleApps.wecomRobot, SampleApps.dingtalkRobot] {
                let robot = try await fixture.credentials.apps.create(registration, tenantID: tenant)
                let refused = await yizhanError { _ = try await contacts.find(robot, email: "a@b.cn") }
                #expect(refused?.code == .validationError && refused?.httpStatus == 422, "\(registration.provider)")
                #expect(refused?.message.contains("no directory") == true)
            }
            let marketplace = try await fixture.credentials.apps.create(
                .init(name: "Store", provider: .larkMarketplace, credentials: ["app_id": "cli_store", "app_secret": "s"]), tenantID: tenant)
            let store = await yizhanError { _ = try await contacts.find(marketplace, email: "a@b.cn") }
            #expect(store?.code == .validationError && store?.message.contains("not supported") == true)

            let inputs: [(String?, String?, String)] = [
                (nil, nil, "email"), ("a@b.cn", "13800000000", "mobile"), ("not an email", nil, "email"), ("", nil, "email"),
                (nil, "138-0000", "mobile"), (nil, "12", "mobile"), (nil, "+", "mobile"), (nil, "1380000000\u{0}", "mobile"),
            ]
            for (email, mobile, field) in inputs {
                let bad = await yizhanError { _ = try await contacts.find(lark, email: email, mobile: mobile) }
                let byRule = (email == nil) == (mobile == nil)  // neither or both: 422
                #expect(bad?.code == .validationError && bad?.httpStatus == (byRule ? 422 : 400), "\(String(describing: email)) \(String(describing: mobile))")
                #expect(bad?.details["field"] == .string(field), "\(String(describing: email)) \(String(describing: mobile))")
            }

            let other = try await fixture.tenant("other")
            let hidden = await yizhanError { _ = try await contacts.lookUp(appID: lark.id, tenantID: other, email: "alice@corp.example", mobile: nil) }
            #expect(hidden?.code == .notFound)
            _ = try await fixture.credentials.apps.update(id: lark.id, tenantID: tenant, AppChanges(status: .disabled))
            let disabled = await yizhanError { _ = try await contacts.find(lark, email: "alice@corp.example") }
            #expect(disabled?.code == .appDisabled)
            #expect(try await sandbox.calls("lark", "cli_dir", Self.batchGetID) == 0)
        }
    }

    @Test(arguments: TestEngines.all)
    func aProviderFailureIsAProviderErrorWithItsCodeAndNeverCached(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox)
            let contacts = fixture.credentials.contacts
            // Warm the tokens, so the faults below meet the lookups themselves.
            _ = try await fixture.credentials.tokens.larkTokens(for: lark).token()
            _ = try await fixture.credentials.tokens.wecomTokens(for: wecom).token()

            try await sandbox.control("/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwdir", "kind": "force_error", "code": 60020}"#)
            let refused = await yizhanError { _ = try await contacts.find(wecom, mobile: "13800000002") }
            #expect(refused?.code == .providerError && refused?.httpStatus == 502, "\(String(describing: refused))")
            #expect(refused?.details["provider_code"] == .int(60020))

            try await sandbox.control(
                "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_dir", "kind": "force_error", "code": 99991400, "http_status": 429}"#)
            let limited = await yizhanError { _ = try await contacts.find(lark, email: "alice@corp.example") }
            #expect(limited?.code == .providerError && limited?.httpStatus == 503, "\(String(describing: limited))")
            #expect(limited?.details["provider_code"] == .int(99991400) && limited?.details["category"] == "rate_limited")

            // A wrong secret: the token fetch is refused with Lark's code, and no secret is told.
            _ = try await fixture.credentials.apps.update(id: lark.id, tenantID: lark.tenantID, AppChanges(secrets: ["app_secret": "WRONGsecret"]))
            let wrong = await yizhanError { _ = try await contacts.find(lark, email: "alice@corp.example") }
            #expect(wrong?.code == .providerError && wrong?.httpStatus == 502 && wrong?.details["provider_code"] == .int(10014), "\(String(describing: wrong))")
            #expect(wrong.map { !"\($0) \($0.details)".contains("WRONGsecret") } == true)

            // A provider that never answers.
            _ = try await fixture.credentials.apps.update(id: wecom.id, tenantID: wecom.tenantID, AppChanges(baseURL: "http://127.0.0.1:9", secrets: ["secret": "WECOMdirSECRET"]))
            let gone = await yizhanError { _ = try await contacts.find(wecom, mobile: "13800000002") }
            #expect(gone?.code == .providerError && gone?.httpStatus == 503 && gone?.details["provider_code"] == .int(0), "\(String(describing: gone))")
            #expect(try await Self.cachedRows(database) == 0)
        }
    }

    @Test(arguments: TestEngines.all)
    func aProviderSlowerThanTheDeadlineIsA503WithRetryAfterAndNothingIsCached(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox)
            let contacts = fixture.credentials.contacts.waiting(atMost: .milliseconds(500))
            // WeCom's token is warm, so the delay meets the lookup; Lark's is cold, so the lookup
            // waits on the pool's fetch, which goes on for the app's other callers.
            _ = try await fixture.credentials.tokens.wecomTokens(for: wecom).token()
            for (provider, appID) in [("lark", "cli_dir"), ("wecom", "wwdir")] {
                try await sandbox.control("/_sandbox/faults", #"{"provider": "\#(provider)", "app_id": "\#(appID)", "kind": "latency", "ms": 4000}"#)
            }
            for (app, email) in [(lark, "alice@corp.example"), (wecom, "zhangsan@corp.example")] {
                let slow = await yizhanError { _ = try await contacts.find(app, email: email) }
                #expect(slow?.code == .providerError && slow?.httpStatus == 503, "\(String(describing: slow))")
                #expect(slow?.details["category"] == "retryable" && slow?.headers["Retry-After"] == "1")
            }
            #expect(try await Self.cachedRows(database) == 0)

            try await sandbox.clearFaults()
            await fixture.credentials.tokens.settle()
            #expect(try await sandbox.stats("lark", "cli_dir")["token_fetches"] as? Int == 1)
            let alice = try await contacts.find(lark, email: "alice@corp.example")
            #expect(alice.openID == "ou_alice" && !alice.fromCache)
            #expect(try await sandbox.stats("lark", "cli_dir")["token_fetches"] as? Int == 1)
        }
    }

    // MARK: Helpers

    /// A Lark and a WeCom app registered both at the sandbox (with people in their directories)
    /// and in Yizhan (pointing at it).
    static func apps(
        _ database: any Database, sandbox: SandboxEndpoint, clock: any TimeSource = SystemTimeSource()
    ) async throws -> (CredentialsFixture, ProviderApp, ProviderApp) {
        try await sandbox.control("/_sandbox/lark/apps", #"{"app_id": "cli_dir", "app_secret": "LARKdirSECRET", "rate_limits": false}"#)
        try await sandbox.control("/_sandbox/lark/users", #"""
            {"open_id": "ou_alice", "union_id": "on_alice", "user_id": "alice", "email": "alice@corp.example",
             "mobile": "+8613800000001", "name": "Alice"}
            """#)
        try await sandbox.control("/_sandbox/lark/users", #"{"open_id": "ou_bob", "email": "bob@corp.example", "name": "Bob"}"#)
        try await sandbox.control("/_sandbox/wecom/apps", #"{"corp_id": "wwdir", "agent_id": 1000002, "secret": "WECOMdirSECRET"}"#)
        try await sandbox.control("/_sandbox/wecom/users", #"""
            {"corp_id": "wwdir", "userid": "zhangsan", "name": "张三", "biz_mail": "zhangsan@corp.example", "mobile": "13800000002"}
            """#)
        try await sandbox.control("/_sandbox/wecom/users", #"{"corp_id": "wwdir", "userid": "lisi", "name": "李四", "email": "lisi@home.example"}"#)
        let fixture = try CredentialsFixture(database: database, clock: clock)
        let tenant = try await fixture.tenant("acme")
        let lark = try await fixture.credentials.apps.create(
            .init(name: "Lark", provider: .lark, baseURL: sandbox.baseURL, credentials: ["app_id": "cli_dir", "app_secret": "LARKdirSECRET"]),
            tenantID: tenant)
        let wecom = try await fixture.credentials.apps.create(
            .init(name: "WeCom", provider: .wecom, baseURL: sandbox.baseURL,
                  credentials: ["corp_id": "wwdir", "agent_id": "1000002", "secret": "WECOMdirSECRET"]), tenantID: tenant)
        return (fixture, lark, wecom)
    }

    /// How many rows the contact cache holds, expired or not.
    static func cachedRows(_ database: any Database) async throws -> Int {
        try await database.withConnection { work in
            try await work.raw("SELECT COUNT(*) AS n FROM contact_cache").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }
}

extension ContactDirectory {
    /// The lookup of `app`'s tenant.
    func find(_ app: ProviderApp, email: String? = nil, mobile: String? = nil, refresh: Bool = false) async throws -> Contact {
        try await lookUp(appID: app.id, tenantID: app.tenantID, email: email, mobile: mobile, refresh: refresh)
    }

    /// For a lookup that is 404 `CONTACT_NOT_FOUND`: whether a kept miss answered it (true) or the
    /// provider (false); nil when the lookup ended any other way.
    func missFromCache(_ app: ProviderApp, email: String? = nil, mobile: String? = nil, refresh: Bool = false) async -> Bool? {
        let error = await yizhanError { _ = try await find(app, email: email, mobile: mobile, refresh: refresh) }
        guard let error, error.code == .contactNotFound, error.httpStatus == 404, case .bool(let fromCache)? = error.details["from_cache"] else {
            return nil
        }
        return fromCache
    }
}

extension SandboxEndpoint {
    /// How many calls of `path` the sandbox counted for the app.
    func calls(_ provider: String, _ appID: String, _ path: String) async throws -> Int {
        (try await stats(provider, appID)["calls"] as? [String: Int])?[path] ?? 0
    }
}
