import HTTPTypes
import Testing
@testable import YizhanServer

@Suite
struct CredentialHeaderTests {
    @Test(arguments: [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "abc"),
        ("BEARER  abc  ", "abc"),
        ("Bearer\tabc", nil),
        ("Bearer ", nil),
        ("Bearer    ", nil),
        ("Bearerabc", nil),
        ("Basic dXNlcjpwYXNz", nil),
        ("", nil),
        ("Bearer 令牌", "令牌"),
    ] as [(String, String?)])
    func bearerTokenIsTheSchemeCaseInsensitivelyAndTheTrimmedRest(header: String, expected: String?) {
        #expect(AuthMiddleware.bearerToken(header) == expected)
    }

    @Test
    func anAPIKeyHeaderIsUsedWhenThereIsNoBearerToken() {
        var headers: HTTPFields = [.authorization: "Basic x"]
        headers[HTTPField.Name("X-API-Key")!] = "  yz_key "
        #expect(AuthMiddleware.credential(in: headers) == "yz_key")
        headers[.authorization] = "Bearer token"
        #expect(AuthMiddleware.credential(in: headers) == "token")
    }

    @Test
    func randomHeadersNeverCrashAndNeverYieldSpacesAtTheEnds() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("Bb eEaArR \t.xyz_令")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<20, using: &generator)
            let header = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            if let token = AuthMiddleware.bearerToken(header) {
                #expect(!token.isEmpty)
                #expect(token.first != " " && token.last != " ")
                #expect(header.lowercased().hasPrefix("bearer "))
            }
        }
    }
}
