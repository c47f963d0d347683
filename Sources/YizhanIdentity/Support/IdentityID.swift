/// Identifiers of identity rows: a type prefix and 24 random hex digits (`usr_3f9a…`).
///
/// The prefix tells a reader what an id names in a log line or an audit entry; the random part
/// makes ids unguessable, so knowing one tenant's ids says nothing about another's.
package enum IdentityID {
    /// A new id with `prefix` (`ten`, `usr`, `key`, `aud`, `ses`).
    package static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let high = UInt64.random(in: .min ... .max, using: &generator)
        let low = UInt32.random(in: .min ... .max, using: &generator)
        return prefix + "_" + hex(high, digits: 16) + hex(UInt64(low), digits: 8)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }
}
