import DingTalkKit
import Testing

@Suite
struct DingTalkRobotSignerTests {
    @Test
    func signMatchesTheDerivedExample() {
        #expect(DingTalkRobotSigner.sign(timestamp: 1_577_836_800_000, secret: "SECtestsecret") == "e9/PYFWSjeYPT9dRYoqJiXpa5kBNNEIWCMFi7wMmAWc=")
        #expect(
            DingTalkRobotSigner.queryItems(timestamp: 1_577_836_800_000, secret: "SECtestsecret")
                == "timestamp=1577836800000&sign=e9%2FPYFWSjeYPT9dRYoqJiXpa5kBNNEIWCMFi7wMmAWc%3D")
    }
}
