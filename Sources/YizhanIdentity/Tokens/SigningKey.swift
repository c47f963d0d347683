import Foundation
import YizhanCore

/// A secret that signs access tokens (HS256), with the id written into each token's `kid` header.
package struct SigningKey: Sendable, Equatable, CustomStringConvertible {
    /// The shortest secret accepted: 32 bytes, the size of the HS256 digest.
    package static let minimumSecretLength = 32

    package let id: String
    let secret: String

    /// - Throws: a `VALIDATION_ERROR` when the id is empty or the secret shorter than 32 characters.
    package init(id: String, secret: String) throws(YizhanError) {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw YizhanError(.validationError, "A signing key id must be letters, digits, '-', '_' or '.'.")
        }
        guard secret.utf8.count >= Self.minimumSecretLength else {
            throw YizhanError(
                .validationError, "Signing key '\(id)' is shorter than \(Self.minimumSecretLength) characters.")
        }
        self.id = id
        self.secret = secret
    }

    /// Parses `kid:secret,kid:secret`; the first key signs, all of them verify.
    package static func parseList(_ text: String) throws(YizhanError) -> [SigningKey] {
        var keys: [SigningKey] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw YizhanError(.validationError, "Each signing key must be written as id:secret.")
            }
            keys.append(try SigningKey(id: String(trimmed[..<colon]), secret: String(trimmed[trimmed.index(after: colon)...])))
        }
        guard !keys.isEmpty else { throw YizhanError(.validationError, "No signing key is given.") }
        guard Set(keys.map(\.id)).count == keys.count else {
            throw YizhanError(.validationError, "Signing key ids must be unique.")
        }
        return keys
    }

    /// Only the id: the secret never reaches a log line.
    package var description: String { "SigningKey(\(id))" }
}
