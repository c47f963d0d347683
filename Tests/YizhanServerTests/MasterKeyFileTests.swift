import Foundation
import Testing
import YizhanCore
@testable import YizhanServer

/// The generated master key file of an embedded deployment.
@Suite
struct MasterKeyFileTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-mk-\(UUID().uuidString)/master.key").path
    }

    @Test
    func theFirstStartCreatesAnOwnerOnlyKeyAndLaterStartsReadIt() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let key = try MasterKeyFile.loadOrCreate(at: path)
        _ = try SecretVault(masterKeys: key)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try MasterKeyFile.loadOrCreate(at: path) == key)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["master.key"])
    }

    @Test
    func concurrentFirstStartsAgreeOnOneKey() async throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try MasterKeyFile.loadOrCreate(at: path) } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys.count == 1)
    }

    @Test
    func aKeyFileOthersCanReadIsRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        _ = try MasterKeyFile.loadOrCreate(at: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: ConfigurationError.self) { try MasterKeyFile.loadOrCreate(at: path) }
    }

    @Test
    func creatingAKeyFileNeverOverwritesOne() throws {
        let path = temporaryPath()
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = SecretVault.generateMasterKey()
        #expect(try MasterKeyFile.create(at: path, key: first))
        #expect(try !MasterKeyFile.create(at: path, key: SecretVault.generateMasterKey()))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first + "\n")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["master.key"])
    }
}
