import Foundation
import JWTKit
import Testing
import YizhanCore
@testable import YizhanIdentity

@Suite
struct AccessTokenTests {
    let tokens = AccessTokens(keys: IdentityFixture.keys, lifetime: .seconds(900))

    @Test
    func issuedTokenVerifiesAndCarriesTheKeyID() async throws {
        let token = try await tokens.issue(userID: "usr_1", tenantID: "ten_1", sessionID: "ses_1", now: Date())
        let verified = try #require(try await tokens.verify(token, now: Date()))
        #expect(verified.userID == "usr_1")
        #expect(verified.tenantID == "ten_1")
        #expect(verified.sessionID == "ses_1")
        let header = try #require(Self.decodePart(token, 0))
        #expect(header["kid"] as? String == "k1")
        #expect(header["alg"] as? String == "HS256")
    }

    @Test
    func tokenSignedWithTheOlderKeyStillVerifiesUntilTheKeyIsRemoved() async throws {
        let old = AccessTokens(keys: [IdentityFixture.keys[1]], lifetime: .seconds(900))
        let token = try await old.issue(userID: "usr_1", tenantID: "ten_1", sessionID: "ses_1", now: Date())
        #expect(try await tokens.verify(token, now: Date()) != nil)
        let rotated = AccessTokens(keys: [IdentityFixture.keys[0]], lifetime: .seconds(900))
        #expect(try await rotated.verify(token, now: Date()) == nil)
    }

    @Test
    func expiredTokenIsRefused() async throws {
        let token = try await tokens.issue(userID: "u", tenantID: "t", sessionID: "s", now: Date().addingTimeInterval(-901))
        #expect(try await tokens.verify(token, now: Date()) == nil)
    }

    @Test
    func tokenOfAnotherKeyIsRefused() async throws {
        let foreign = AccessTokens(keys: [try SigningKey(id: "k1", secret: String(repeating: "x", count: 32))], lifetime: .seconds(900))
        let token = try await foreign.issue(userID: "u", tenantID: "t", sessionID: "s", now: Date())
        #expect(try await tokens.verify(token, now: Date()) == nil)
    }

    @Test
    func unsignedAlgNoneTokenIsRefused() async throws {
        let token = try await tokens.issue(userID: "u", tenantID: "t", sessionID: "s", now: Date())
        let parts = token.split(separator: ".")
        let header = Self.base64URL(#"{"alg":"none","typ":"JWT","kid":"k1"}"#)
        #expect(try await tokens.verify("\(header).\(parts[1]).", now: Date()) == nil)
        #expect(try await tokens.verify("\(header).\(parts[1])", now: Date()) == nil)
    }

    @Test
    func tamperedPayloadIsRefused() async throws {
        let token = try await tokens.issue(userID: "usr_1", tenantID: "ten_1", sessionID: "ses_1", now: Date())
        let parts = token.split(separator: ".").map(String.init)
        var payload = try #require(Self.decodePart(token, 1))
        payload["tid"] = "ten_2"
        let forged = Self.base64URL(String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self))
        #expect(try await tokens.verify("\(parts[0]).\(forged).\(parts[2])", now: Date()) == nil)
    }

    @Test
    func garbageNeverVerifies() async throws {
        for text in ["", ".", "..", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", String(repeating: "A", count: 5000)] {
            #expect(try await tokens.verify(text, now: Date()) == nil)
        }
    }

    @Test
    func noSingleCharacterChangeToATokenVerifies() async throws {
        let token = try await tokens.issue(userID: "usr_1", tenantID: "ten_1", sessionID: "ses_1", now: Date())
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        var generator = SystemRandomNumberGenerator()
        var characters = Array(token)
        for _ in 0..<300 {
            let index = Int.random(in: 0..<characters.count, using: &generator)
            let original = characters[index]
            var replacement = alphabet.randomElement(using: &generator)!
            while replacement == original { replacement = alphabet.randomElement(using: &generator)! }
            characters[index] = replacement
            let mutated = String(characters)
            let verified = try await tokens.verify(mutated, now: Date())
            // Base64url's last character can carry unused bits; a change there may decode the same.
            if let verified {
                #expect(verified.userID == "usr_1" && verified.tenantID == "ten_1", "a mutation changed the claims: \(mutated)")
            }
            characters[index] = original
        }
    }

    @Test
    func lockoutGrowsAndIsCapped() {
        var previous: Int64 = 0
        for failures in 1...40 {
            let lockout = LoginThrottleStore.lockout(afterFailures: failures, free: 5)
            #expect(lockout >= previous)
            #expect(lockout <= 900_000)
            previous = lockout
        }
        #expect(LoginThrottleStore.lockout(afterFailures: 5, free: 5) == 0)
        #expect(LoginThrottleStore.lockout(afterFailures: 6, free: 5) == 1000)
        #expect(LoginThrottleStore.lockout(afterFailures: 40, free: 5) == 900_000)
    }

    @Test
    func signingKeyListRejectsShortSecretsAndDuplicates() {
        #expect(throws: YizhanError.self) { try SigningKey.parseList("k1:short") }
        #expect(throws: YizhanError.self) { try SigningKey.parseList("k1:\(String(repeating: "a", count: 32)),k1:\(String(repeating: "b", count: 32))") }
        #expect(throws: YizhanError.self) { try SigningKey.parseList("nocolon") }
        #expect(!String(describing: IdentityFixture.keys[0]).contains("0123456789abcdef"))
    }

    static func decodePart(_ token: String, _ index: Int) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count > index else { return nil }
        var text = parts[index].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
