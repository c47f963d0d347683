import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YizhanCore
import YizhanIdentity
@testable import YizhanServer
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct ClientAddressTests {
    let resolver = ClientAddressResolver(trustedProxies: ["10.0.0.2", "10.0.0.3"])

    @Test
    func forwardedForIsBelievedOnlyFromATrustedProxy() {
        #expect(resolver.resolve(peer: "192.0.2.1", forwardedFor: "198.51.100.9") == "192.0.2.1")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: "198.51.100.9") == "198.51.100.9")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: nil) == "10.0.0.2")
        #expect(resolver.resolve(peer: nil, forwardedFor: "198.51.100.9") == nil)
    }

    @Test
    func theNearestUntrustedHopWinsSoAClientCannotPrependALie() {
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 198.51.100.9, 10.0.0.3") == "198.51.100.9")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: "2001:db8::1") == "2001:db8::1")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: "10.0.0.3, 10.0.0.2") == "10.0.0.3")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: "<script>, ") == "10.0.0.2")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: " , ") == "10.0.0.2")
    }

    @Test(arguments: TestEngines.all)
    func theAuditLogRecordsTheForwardedAddressBehindATrustedProxy(engine: DatabaseEngine) async throws {
        for trusted in [true, false] {
            try await withIdentityTestApp(engine, mode: .live, configure: { if trusted { $0.trustedProxies = ["127.0.0.1"] } }) { api, identity, _ in
                let (tenant, _) = try await identity.makeTenant("acme")
                let forwarded: HTTPFields = [.xForwardedFor: "198.51.100.9"]
                let failed = try await api.call(
                    .post, "/api/v1/auth/login", json: ["tenant": "acme", "email": "owner@acme.test", "password": "wrong password!!"],
                    headers: forwarded)
                #expect(failed.status == 401)
                let entries = try await identity.audit.list(tenantID: tenant.id, filter: .init(action: "auth.login"), page: .init())
                #expect(entries.items.first?.clientAddress == (trusted ? "198.51.100.9" : "127.0.0.1"))
            }
        }
    }
}
