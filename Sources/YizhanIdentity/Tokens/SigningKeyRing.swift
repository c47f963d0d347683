import JWTKit

/// The JWT keys, loaded on first use: from configuration, or (when none is configured) from the
/// key that the first process generated and stored in the database, so every process of one
/// deployment signs and verifies alike.
actor SigningKeyRing {
    private let source: @Sendable () async throws -> [SigningKey]
    private var loaded: (collection: JWTKeyCollection, signingKeyID: String)?

    init(source: @escaping @Sendable () async throws -> [SigningKey]) {
        self.source = source
    }

    /// The keys, loading them the first time.
    func keys() async throws -> (collection: JWTKeyCollection, signingKeyID: String) {
        if let loaded { return loaded }
        let keys = try await source()
        precondition(!keys.isEmpty, "at least one signing key")
        let collection = JWTKeyCollection()
        for key in keys {
            await collection.add(hmac: HMACKey(from: key.secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.id))
        }
        let result = (collection, keys[0].id)
        loaded = result
        return result
    }
}
