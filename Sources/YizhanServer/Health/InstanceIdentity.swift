import Foundation
import YizhanStorage

/// The identity of a Yizhan installation, kept in the `settings` table so it survives restarts.
struct InstanceIdentity: Sendable, Equatable {
    static let idKey = "instance.id"
    static let firstStartedKey = "instance.first_started_at"

    var id: String
    var firstStartedAt: String

    /// Reads the identity, creating it on the first start. Concurrent first starts agree on one.
    static func establish(in settings: SettingsStore, now: Date = Date()) async throws -> InstanceIdentity {
        let id = try await settings.valueSettingIfAbsent(UUID().uuidString.lowercased(), for: idKey)
        let first = try await settings.valueSettingIfAbsent(now.formatted(.iso8601), for: firstStartedKey)
        return InstanceIdentity(id: id, firstStartedAt: first)
    }

    /// Reads the identity without creating it (empty fields if `serve` never established it).
    static func read(from settings: SettingsStore) async throws -> InstanceIdentity {
        InstanceIdentity(
            id: try await settings.value(for: idKey) ?? "",
            firstStartedAt: try await settings.value(for: firstStartedKey) ?? ""
        )
    }
}
