extension SecretVault {
    /// What ``reseal(_:purpose:)`` found for one sealed value.
    public enum Resealing: Sendable, Equatable {
        /// It was sealed under another configured key; this is the same plaintext sealed under
        /// the sealing key (the caller stores it).
        case resealed(String)
        /// It is sealed under the sealing key already and opens.
        case current
        /// It was sealed under a key (this id) that is not configured: nothing was opened.
        case unknownKey(String)
        /// It does not open: damaged, sealed for another purpose, or not a sealed value at all.
        case damaged
    }

    /// `sealed` sealed again under the sealing (first) key, for the same `purpose`, when another
    /// configured key sealed it. A value of an unknown key is never guessed at.
    public func reseal(_ sealed: String, purpose: String) -> Resealing {
        guard let keyID = Self.keyID(of: sealed) else { return .damaged }
        guard keyIDs.contains(keyID) else { return .unknownKey(keyID) }
        do {
            let plaintext = try open(sealed, purpose: purpose)
            if keyID == sealingKeyID { return .current }
            return .resealed(try seal(plaintext, purpose: purpose))
        } catch {
            return .damaged
        }
    }
}
