import Crypto
import Foundation

/// A message for a WeCom group robot (`webhook/send`).
public enum WeComRobotMessage: Sendable, Equatable {
    /// Text (≤ 2048 bytes), @-mentioning members by userid or mobile (`"@all"` for everyone).
    case text(String, mentionedUserIDs: [String] = [], mentionedMobiles: [String] = [])
    /// Markdown (≤ 4096 bytes; `<@userid>` mentions).
    case markdown(String)
    /// A JPG or PNG of at most 2 MB, sent inline as base64 with its MD5.
    case image(Data)
    /// One to eight news articles.
    case news([WeComArticle])
    /// A file uploaded with ``WeComRobot/upload(_:filename:type:)``.
    case file(mediaID: String)
    /// A voice message uploaded the same way.
    case voice(mediaID: String)
    /// A template card, as the JSON object of `template_card`.
    case templateCard(json: String)

    /// WeCom's `msgtype`.
    public var messageType: String {
        switch self {
        case .text: "text"
        case .markdown: "markdown"
        case .image: "image"
        case .news: "news"
        case .file: "file"
        case .voice: "voice"
        case .templateCard: "template_card"
        }
    }

    var body: Any {
        switch self {
        case .text(let content, let users, let mobiles):
            var text: [String: Any] = ["content": content]
            if !users.isEmpty { text["mentioned_list"] = users }
            if !mobiles.isEmpty { text["mentioned_mobile_list"] = mobiles }
            return text
        case .markdown(let content): return ["content": content]
        case .image(let data):
            let md5 = Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
            return ["base64": data.base64EncodedString(), "md5": md5]
        case .news(let articles): return ["articles": articles.map(\.object)]
        case .file(let id), .voice(let id): return ["media_id": id]
        case .templateCard(let json): return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) ?? [String: Any]()
        }
    }
}
