import Foundation
import Testing
@testable import DingTalkKit

/// The JSON the robot message types become, as DingTalk's custom robot docs give it.
@Suite
struct DingTalkMessageBodyTests {
    func json(_ message: DingTalkMessage) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: message.body)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test
    func markdownMentionsUsersByIDAndMobile() throws {
        let body = try json(.markdown(title: "Alert", text: "db down @manager01", atMobiles: ["13800000000"], atUserIDs: ["manager01"]))
        let at = try #require(body["at"] as? [String: Any])
        #expect(at["atUserIds"] as? [String] == ["manager01"])
        #expect(at["atMobiles"] as? [String] == ["13800000000"])
        #expect(at["isAtAll"] as? Bool == false)
    }

    @Test
    func aMultiButtonCardListsItsButtonsWithTheirOrientation() throws {
        let buttons = [DingTalkCardButton(title: "Yes", actionURL: "https://e.com/y"), DingTalkCardButton(title: "No", actionURL: "https://e.com/n")]
        let stacked = try json(.multiButtonCard(title: "T", text: "Deploy?", buttons: buttons))
        #expect(stacked["msgtype"] as? String == "actionCard")
        let card = try #require(stacked["actionCard"] as? [String: Any])
        #expect(card["btnOrientation"] as? String == "0")
        #expect((card["btns"] as? [[String: String]])?.map { $0["actionURL"] } == ["https://e.com/y", "https://e.com/n"])
        #expect(card["singleTitle"] == nil)
        let sideBySide = try json(.multiButtonCard(title: "T", text: "Deploy?", buttons: buttons, horizontal: true))
        #expect((sideBySide["actionCard"] as? [String: Any])?["btnOrientation"] as? String == "1")
    }
}
