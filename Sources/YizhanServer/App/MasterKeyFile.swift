import Foundation
import YizhanCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Master key files: the key of an embedded (SQLite) deployment with none configured, generated on
/// first start into `<dataDir>/master.key`, readable by the owner only (0600), read on later
/// starts; a configured `masterKeyFile`; and the file `yizhan keys generate --output` writes.
///
/// Back it up with the database: without it the secrets sealed in the database do not open.
package enum MasterKeyFile {
    /// `configuration` with ``YizhanConfiguration/masterKey`` filled in from the file (created if
    /// missing) when it is unset and the engine is SQLite; unchanged otherwise.
    static func resolve(_ configuration: YizhanConfiguration) throws -> YizhanConfiguration {
        guard configuration.masterKey == nil, configuration.databaseURL == nil else { return configuration }
        var configuration = configuration
        configuration.masterKey = try loadOrCreate(at: configuration.masterKeyPath)
        return configuration
    }

    /// The key in the file at `path`, creating the file with a new key if there is none.
    ///
    /// Of two processes starting at once the second finds the first one's key (see
    /// ``create(at:key:setting:)``).
    static func loadOrCreate(at path: String) throws -> String {
        if let existing = try read(path, setting: .masterKey) { return existing }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = SecretVault.generateMasterKey()
        if try create(at: path, key: key, setting: .masterKey) { return key }
        // Another process linked its key first: use theirs.
        if let existing = try read(path, setting: .masterKey) { return existing }
        throw failure("cannot create \(path)", EEXIST, setting: .masterKey)
    }

    /// Writes `key` into a new file at `path`, readable by the owner only (0600); returns false,
    /// leaving it alone, when a file is there already.
    ///
    /// The key is written whole to a temporary file and linked into place, so no process ever
    /// reads a half-written file. The directory is synced, so the file survives a power loss.
    package static func create(at path: String, key: String, setting: ConfigurationKey = .masterKey) throws -> Bool {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let temporary = path + ".\(UUID().uuidString).tmp"
        defer { unlink(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)", errno, setting: setting) }
        let bytes = Array((key + "\n").utf8)
        let written = write(descriptor, bytes, bytes.count)
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else { throw failure("cannot write \(temporary)", errno, setting: setting) }
        if link(temporary, path) != 0 {
            let error = errno
            if error == EEXIST { return false }
            throw failure("cannot create \(path)", error, setting: setting)
        }
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
        return true
    }

    /// The keys in the file at `path`, comma-separated in their order, or nil when there is no
    /// file. The file holds one or more base64 keys, separated by commas or line breaks.
    /// - Throws: ``ConfigurationError`` on `setting` when the file is readable by others, cannot
    ///   be read or holds a malformed key (the message never repeats the file's contents).
    static func read(_ path: String, setting: ConfigurationKey) throws -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        guard status.st_mode & 0o077 == 0 else {
            throw ConfigurationError(
                key: setting.name,
                message: "\(path) is readable by others; make it the owner's alone (chmod 600 \(path))")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(key: setting.name, message: "cannot read \(path)")
        }
        let keys = SecretVault.keyList(text).joined(separator: ",")
        do { _ = try SecretVault(masterKeys: keys) } catch {
            throw ConfigurationError(key: setting.name, message: "\(path): \(error.description)")
        }
        return keys
    }

    private static func failure(_ message: String, _ error: Int32, setting: ConfigurationKey) -> ConfigurationError {
        ConfigurationError(key: setting.name, message: "\(message): \(String(cString: strerror(error)))")
    }
}
