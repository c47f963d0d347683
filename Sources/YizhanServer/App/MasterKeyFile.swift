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
    ///
    /// The key is written whole to a temporary file (0600) and linked into place, so no process
    /// ever reads a half-written file, and of two processes starting at once the second finds the
    /// first one's key. The directory is synced, so the file survives a power loss with the data.
    static func loadOrCreate(at path: String) throws -> String {
        if let existing = try read(path) { return existing }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = SecretVault.generateMasterKey()
        let temporary = path + ".\(UUID().uuidString).tmp"
        defer { unlink(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)", errno) }
        let bytes = Array((key + "\n").utf8)
        let written = write(descriptor, bytes, bytes.count)
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else { throw failure("cannot write \(temporary)", errno) }
        if link(temporary, path) != 0 {
            let error = errno
            // Another process linked its key first: use theirs.
            if error == EEXIST, let existing = try read(path) { return existing }
            throw failure("cannot create \(path)", error)
        }
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
        return key
    }

    private static func read(_ path: String) throws -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        guard status.st_mode & 0o077 == 0 else {
            throw ConfigurationError(
                key: ConfigurationKey.masterKey.name,
                message: "\(path) is readable by others; make it the owner's alone (chmod 600 \(path))")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(key: ConfigurationKey.masterKey.name, message: "cannot read \(path)")
        }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        do { _ = try SecretVault(masterKeys: key) } catch {
            throw ConfigurationError(key: ConfigurationKey.masterKey.name, message: "\(path): \(error.description)")
        }
        return key
    }

    private static func failure(_ message: String, _ error: Int32) -> ConfigurationError {
        ConfigurationError(key: ConfigurationKey.masterKey.name, message: "\(message): \(String(cString: strerror(error)))")
    }
}
