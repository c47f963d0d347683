import Testing
import YizhanStorage
import YizhanStoragePostgres
import YizhanStorageSQLite

@Suite
struct PostgresURLTests {
    @Test
    func parsesEveryPartAndRedactsThePassword() throws {
        let url = try PostgresURL("postgres://app:s3cr%40t@db.internal:6543/yizhan?sslmode=require&search_path=hub")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.username == "app")
        #expect(url.password == "s3cr@t")
        #expect(url.database == "yizhan")
        #expect(url.sslMode == "require")
        #expect(url.searchPath == "hub")
        #expect(url.description == "postgres://app:***@db.internal:6543/yizhan?sslmode=require&search_path=hub")
        #expect(!url.description.contains("s3cr"))
    }

    @Test(arguments: ["mysql://a@b/c", "postgres://", "postgres://host/db", "not a url", "postgres://u@h/d?sslmode=maybe"])
    func rejectsBadURLsWithoutRepeatingThem(text: String) throws {
        let error = try #require(throws: DatabaseError.self) { try PostgresURL(text) }
        #expect(error.code == .invalidURL)
        #expect(!error.description.contains(text) || text.count < 8)
    }

    @Test
    func connectionStringRoundTrips() throws {
        let url = try PostgresURL("postgresql://u:p%2Fq@127.0.0.1/db")
        let again = try PostgresURL(url.connectionString)
        #expect(again.password == "p/q")
        #expect(again.port == 5432)
        #expect(again.database == "db")
    }
}
