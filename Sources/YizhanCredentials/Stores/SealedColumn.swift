import YizhanStorage

/// A column of sealed values that ``KeyRotation`` walks: every row in a stable order, each value
/// with the purpose it is bound to, replaced compare-and-set on the old value so that a write a
/// server made meanwhile is never overwritten.
protocol SealedColumn: Sendable {
    associatedtype Key: Hashable & Sendable

    /// Up to `limit` values after `key` (from the start when nil), in the column's order.
    func page(after key: Key?, limit: Int, in work: UnitOfWork) async throws -> [SealedValue<Key>]
    /// The value of `key` as it is now; nil when the row is gone.
    func value(_ key: Key, in work: UnitOfWork) async throws -> SealedValue<Key>?
    /// Writes `resealed` if the row still holds `value.sealed`; whether it did.
    func replace(_ value: SealedValue<Key>, with resealed: String, in work: UnitOfWork) async throws -> Bool
}

/// One sealed value of a ``SealedColumn`` and the associated data it is bound to.
struct SealedValue<Key: Hashable & Sendable>: Sendable {
    var key: Key
    var sealed: String
    var purpose: String
}
