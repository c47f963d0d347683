import Foundation
import YizhanCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The master key of an embedded (SQLite) deployment with none configured: generated on first
/// start into `<dataDir>/master.key`, readable by the owner only (0600), read on later starts.
///
/// Back it up with the database: without it the secrets sealed in the database do not open.
enum MasterKeyFile {
    /// `configuration` with ``YizhanConfiguration/masterKey`` filled in from the file (created if
    /// missing) when it is unset and the engine is SQLite; unchanged otherwise.
    static func resolve(_ configuration: YizhanConfiguration) throws -> YizhanConfiguration {
        guard configuration.masterKey == nil, configuration.databaseURL == nil else { return configuration }
        var configuration = configuration
        configuration.masterKey = try loadOrCreate(at: configuration.masterKeyPath)
        return configuration
    }

    /// The key in the file at `path`, creating the file with a new key if there is none.
    static func loadOrCreate(at path: String) throws -> String {
        if let existing = try read(path) { return existing }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = SecretVault.generateMasterKey()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            // Another process created it first: use theirs.
            if errno == EEXIST, let existing = try read(path) { return existing }
            throw ConfigurationError(key: ConfigurationKey.masterKey.name, message: "cannot create \(path) (errno \(errno))")
        }
        defer { close(descriptor) }
        let bytes = Array((key + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw ConfigurationError(key: ConfigurationKey.masterKey.name, message: "cannot write \(path)")
        }
        return key
    }

    private static func read(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(key: ConfigurationKey.masterKey.name, message: "cannot read \(path)")
        }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { return nil }
        do { _ = try SecretVault(masterKeys: key) } catch {
            throw ConfigurationError(key: ConfigurationKey.masterKey.name, message: "\(path): \(error.description)")
        }
        return key
    }
}
