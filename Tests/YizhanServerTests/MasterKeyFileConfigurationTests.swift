import Foundation
import Testing
import YizhanCore
import YizhanServer

/// `masterKeyFile` (`YIZHAN_MASTER_KEY_FILE`): the master keys read from a file only its owner reads.
@Suite
struct MasterKeyFileConfigurationTests {
    static let otherKey = "H/Ebn8DdGl8ds+G9ngqkCRyJMMsg8TpzMQMaRL8xkRk="

    /// A key file with `contents` and `mode` in a fresh directory; the directory is removed by `body`'s end.
    func withKeyFile(_ contents: String, mode: Int = 0o600, _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-mkf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keys").path
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        try await body(path)
    }

    func problems(_ environment: [String: String]) async throws -> [(key: String, message: String)] {
        let error = try await #require(throws: ConfigurationError.self) { try await ConfigurationLoader.load(environment: environment) }
        return error.problems
    }

    @Test
    func keysSeparatedByLinesOrCommasAreReadInOrderAndNeverPrinted() async throws {
        try await withKeyFile("\(testMasterKey)\n\(Self.otherKey)\n") { path in
            let loaded = try await ConfigurationLoader.load(environment: ["YIZHAN_MASTER_KEY_FILE": path])
            #expect(loaded.configuration.masterKey == "\(testMasterKey),\(Self.otherKey)")
            #expect(loaded.configuration.masterKeyFile == path)
            let vault = try SecretVault(masterKeys: try #require(loaded.configuration.masterKey))
            #expect(vault.keyIDs == [try SecretVault(masterKeys: testMasterKey).sealingKeyID, try SecretVault(masterKeys: Self.otherKey).sealingKeyID])
            let printed = loaded.configuration.redactedEntries.map(\.value).joined(separator: "\n")
            #expect(!printed.contains(testMasterKey) && !printed.contains(Self.otherKey))
            #expect(printed.contains(path))
        }
        try await withKeyFile("\(Self.otherKey), \(testMasterKey)") { path in
            let configuration = try await ConfigurationLoader.load(environment: ["YIZHAN_MASTER_KEY_FILE": path]).configuration
            #expect(configuration.masterKey == "\(Self.otherKey),\(testMasterKey)")
        }
    }

    @Test
    func aKeyFileSatisfiesPostgres() async throws {
        try await withKeyFile(testMasterKey) { path in
            let configuration = try await ConfigurationLoader.load(environment: [
                "YIZHAN_DATABASE_URL": "postgres://yz:pw@db:5432/yizhan", "YIZHAN_MASTER_KEY_FILE": path,
            ]).configuration
            #expect(configuration.masterKey == testMasterKey)
        }
    }

    @Test
    func aKeyFileOthersCanReadIsRefused() async throws {
        for mode in [0o644, 0o640, 0o604] {
            try await withKeyFile(testMasterKey, mode: mode) { path in
                let problems = try await problems(["YIZHAN_MASTER_KEY_FILE": path])
                #expect(problems.map(\.key) == ["masterKeyFile"])
                #expect(problems.first?.message.contains("chmod 600") == true)
            }
        }
    }

    @Test
    func bothTheKeyAndTheFileIsAConfigurationError() async throws {
        try await withKeyFile(testMasterKey) { path in
            let problems = try await problems(["YIZHAN_MASTER_KEY_FILE": path, "YIZHAN_MASTER_KEY": Self.otherKey])
            #expect(problems.map(\.key) == ["masterKeyFile"])
            #expect(!problems.map(\.message).joined().contains(Self.otherKey))
        }
    }

    @Test
    func aMissingFileOrAMalformedKeyInItIsRefusedWithoutRepeatingIt() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-none-\(UUID().uuidString)").path
        #expect(try await problems(["YIZHAN_MASTER_KEY_FILE": missing]).map(\.key) == ["masterKeyFile"])
        try await withKeyFile("\(testMasterKey)\nc2hvcnQ=\n") { path in
            let problems = try await problems(["YIZHAN_MASTER_KEY_FILE": path])
            #expect(problems.map(\.key) == ["masterKeyFile"])
            #expect(!problems.map(\.message).joined().contains("c2hvcnQ="))
            #expect(!problems.map(\.message).joined().contains(testMasterKey))
        }
        try await withKeyFile("\n\n") { path in
            let problems = try await problems(["YIZHAN_MASTER_KEY_FILE": path])
            #expect(problems.map(\.key) == ["masterKeyFile"])
        }
    }
}
