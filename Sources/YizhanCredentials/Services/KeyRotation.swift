import YizhanCore
import YizhanIdentity
import YizhanStorage

/// Seals every secret Yizhan keeps in its database again under the first configured master key
/// (`yizhan keys rotate`): each app's secrets, the token pool's stored tokens and Identity's
/// generated JWT signing key, while servers keep running.
///
/// Rows are read in batches and written in one transaction per batch, each row compare-and-set on
/// the sealed value that was read: a row a server changed meanwhile is left alone and read again on
/// the next pass, so no server's write is lost. A value sealed under a key that is not configured
/// is never opened or deleted: it is counted by key id, and the report is not complete.
package struct KeyRotation: Sendable {
    /// What the rotation calls between reading a batch and writing it (tests change rows there).
    package typealias Interlude = @Sendable (KeyRotationReport.Kind) async throws -> Void

    private let database: any Database
    private let vault: SecretVault?

    init(database: any Database, vault: SecretVault?) {
        self.database = database
        self.vault = vault
    }

    /// Reseals every value not sealed under the first key.
    /// - Parameters:
    ///   - batchSize: Rows read, and written in one transaction, at a time.
    ///   - passes: How often rows that servers changed meanwhile are read again before they are
    ///     reported as busy.
    /// - Throws: `MASTER_KEY_MISSING` when no master key is configured; database errors.
    package func rotate(batchSize: Int = 100, passes: Int = 5, betweenReadAndWrite: @escaping Interlude = { _ in }) async throws
        -> KeyRotationReport
    {
        guard let vault else {
            throw YizhanError(
                .masterKeyMissing,
                "No master key is configured: set YIZHAN_MASTER_KEY (or YIZHAN_MASTER_KEY_FILE) to the new key followed by the old ones.")
        }
        let walk = Walk(database: database, vault: vault, batchSize: max(1, batchSize), passes: max(1, passes), interlude: betweenReadAndWrite)
        var report = KeyRotationReport(sealingKeyID: vault.sealingKeyID)
        report.counts[.appSecrets] = try await walk.run(AppSecretsColumn(), kind: .appSecrets)
        report.counts[.providerTokens] = try await walk.run(ProviderTokensColumn(), kind: .providerTokens)
        if let outcome = try await StoredSigningKey.reseal(in: database, vault: vault) {
            report.counts[.signingKey, default: .init()].count(outcome)
        }
        return report
    }
}

/// One rotation's walk over the sealed columns.
private struct Walk: Sendable {
    let database: any Database
    let vault: SecretVault
    let batchSize: Int
    let passes: Int
    let interlude: KeyRotation.Interlude

    func run<Column: SealedColumn>(_ column: Column, kind: KeyRotationReport.Kind) async throws -> KeyRotationReport.Counts {
        var counts = KeyRotationReport.Counts()
        var changed: [Column.Key] = []
        var after: Column.Key?
        while true {
            let start = after
            let page = try await database.withConnection { work in try await column.page(after: start, limit: batchSize, in: work) }
            guard let last = page.last else { break }
            after = last.key
            changed += try await reseal(page, in: column, kind: kind, counts: &counts)
            if page.count < batchSize { break }
        }
        var pass = 1
        while !changed.isEmpty && pass < passes {
            pass += 1
            var stillChanged: [Column.Key] = []
            for start in stride(from: 0, to: changed.count, by: batchSize) {
                let keys = changed[start..<min(start + batchSize, changed.count)]
                let values = try await database.withConnection { work in
                    var values: [SealedValue<Column.Key>] = []
                    // A row deleted meanwhile is gone: nothing to count.
                    for key in keys { if let value = try await column.value(key, in: work) { values.append(value) } }
                    return values
                }
                stillChanged += try await reseal(values, in: column, kind: kind, counts: &counts)
            }
            changed = stillChanged
        }
        counts.busy = changed.count
        return counts
    }

    /// Reseals `values` in one transaction; returns the keys of the rows changed since they were read.
    private func reseal<Column: SealedColumn>(
        _ values: [SealedValue<Column.Key>], in column: Column, kind: KeyRotationReport.Kind, counts: inout KeyRotationReport.Counts
    ) async throws -> [Column.Key] {
        var writes: [(value: SealedValue<Column.Key>, resealed: String)] = []
        for value in values {
            let outcome = vault.reseal(value.sealed, purpose: value.purpose)
            if case .resealed(let resealed) = outcome { writes.append((value, resealed)) } else { counts.count(outcome) }
        }
        guard !writes.isEmpty else { return [] }
        try await interlude(kind)
        let batch = writes
        let changed = try await database.transaction { work in
            var changed: [Column.Key] = []
            for write in batch {
                if try await !column.replace(write.value, with: write.resealed, in: work) { changed.append(write.value.key) }
            }
            return changed
        }
        counts.resealed += writes.count - changed.count
        return changed
    }
}
