import YizhanCore

/// What ``KeyRotation/rotate(batchSize:betweenReadAndWrite:)`` did, per kind of sealed value.
package struct KeyRotationReport: Sendable, Equatable {
    /// The kinds of sealed values a rotation walks.
    package enum Kind: String, Sendable, CaseIterable {
        /// Each app's secrets (`apps.secrets`).
        case appSecrets = "app secrets"
        /// The token pool's stored provider tokens (`provider_tokens.token`).
        case providerTokens = "provider tokens"
        /// Identity's generated JWT signing key (the `auth.jwt_signing_key` setting).
        case signingKey = "signing key"
    }

    /// The outcome for one kind.
    package struct Counts: Sendable, Equatable {
        /// Sealed again under the sealing key.
        package var resealed = 0
        /// Sealed under the sealing key already.
        package var current = 0
        /// Values sealed under keys that are not configured, by key id: left as they are.
        package var unknownKeys: [String: Int] = [:]
        /// Values that do not open with the key that sealed them (damaged, or moved between rows).
        package var damaged = 0
        /// Values that servers changed on every pass: left for the next rotation.
        package var busy = 0

        package init() {}

        /// Values left not sealed under the sealing key.
        package var unopenable: Int { unknownKeys.values.reduce(0, +) + damaged }

        mutating func count(_ outcome: SecretVault.Resealing) {
            switch outcome {
            case .resealed: resealed += 1
            case .current: current += 1
            case .unknownKey(let id): unknownKeys[id, default: 0] += 1
            case .damaged: damaged += 1
            }
        }
    }

    package var counts: [Kind: Counts] = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, Counts()) })
    /// The id of the key everything is sealed under now.
    package var sealingKeyID: String

    /// Whether every value is sealed under the sealing key now.
    package var isComplete: Bool { counts.values.allSatisfy { $0.unopenable == 0 && $0.busy == 0 } }
}
