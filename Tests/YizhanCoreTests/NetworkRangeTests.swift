import Testing
import YizhanCore

/// CIDR networks and single addresses an operator writes into an allow-list.
@Suite
struct NetworkRangeTests {
    @Test
    func networksContainTheirAddressesOnly() throws {
        let private10 = try #require(NetworkRange("10.0.0.0/8"))
        #expect(private10.contains("10.255.3.4") && !private10.contains("11.0.0.1"))
        let host = try #require(NetworkRange("127.0.0.1"))
        #expect(host.contains("127.0.0.1") && !host.contains("127.0.0.2") && host.prefixLength == 32)
        let unique = try #require(NetworkRange("fd00::/8"))
        #expect(unique.contains("fd12:3456::1") && unique.contains("[fd00::1]") && !unique.contains("fe80::1"))
        let odd = try #require(NetworkRange("192.168.1.77/20"))
        #expect(odd.description == "192.168.0.0/20" && odd.contains("192.168.15.255") && !odd.contains("192.168.16.0"))
    }

    @Test
    func anAddressOfTheOtherFamilyOrANameIsNotContained() throws {
        let all4 = try #require(NetworkRange("0.0.0.0/0"))
        #expect(all4.contains("8.8.8.8") && !all4.contains("::1") && !all4.contains("example.com"))
        let all6 = try #require(NetworkRange("::/0"))
        #expect(all6.contains("::1") && !all6.contains("127.0.0.1"))
    }

    @Test(arguments: ["", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/٣", "example.com", "0x7f.1", "2130706433",
                      "127.1", "fe80::1%eth0", "10.0.0.0/8/8", "1.2.3.4 ", "169.254.169.254\u{0}.example"])
    func malformedEntriesAreNotNetworks(text: String) {
        #expect(NetworkRange(text) == nil)
    }

    @Test
    func everyPrefixOfARandomAddressContainsIt() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let address = bytes.map(String.init).joined(separator: ".")
            let length = Int.random(in: 0...32, using: &generator)
            let network = try #require(NetworkRange("\(address)/\(length)"))
            #expect(network.contains(address))
            // The network's own description parses back to itself.
            #expect(NetworkRange(network.description) == network)
            if length > 0 {
                // Flipping a bit inside the prefix leaves the network.
                var flipped = bytes
                let bit = Int.random(in: 0..<length, using: &generator)
                flipped[bit / 8] ^= 0x80 >> UInt8(bit % 8)
                #expect(!network.contains(flipped.map(String.init).joined(separator: ".")))
            }
        }
    }
}
