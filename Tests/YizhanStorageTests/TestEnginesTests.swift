import Foundation
import Testing
import YizhanStorage
import YizhanTesting

@Suite
struct TestEnginesTests {
    /// `./scripts/test` sets `YIZHAN_TEST_REQUIRE_POSTGRES=1`: the PostgreSQL half must never be
    /// skipped silently.
    @Test
    func postgresIsPresentWhenRequired() {
        if ProcessInfo.processInfo.environment["YIZHAN_TEST_REQUIRE_POSTGRES"] == "1" {
            #expect(TestEngines.all == [.sqlite, .postgres])
        }
        #expect(TestEngines.all.first == .sqlite)
    }
}
