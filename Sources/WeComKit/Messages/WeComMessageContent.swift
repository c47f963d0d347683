import Foundation

/// The body of an app message, so callers never hand-write the JSON.
public enum WeComMessageContent: Sendable, Equatable {
    /// Text. `message/send` keeps the first 2,048 bytes and drops the rest (WeCom: "超过将截断")
    /// rather than refusing it. Whether app chats (`appchat/send`) truncate too is not in our
    /// reference (UNCERTAIN; the sandbox refuses more there with 45002).
    case text(String)
    /// Markdown, at most 2048 bytes (shown in WeCom only).
    case markdown(String)
    /// A text card with a link.
    case textCard(title: String, description: String, url: String, buttonText: String? = nil)
    /// One to eight news articles.
    case news([WeComArticle])
    /// One to eight articles stored with WeCom (`mpnews`): their HTML travels in the message, and
    /// `safe` 2 (members of the corp only) applies to these alone.
    case mpnews([WeComMPNewsArticle])
    /// An uploaded image.
    case image(mediaID: String)
    /// An uploaded voice message (AMR, at most 60 s).
    case voice(mediaID: String)
    /// An uploaded video, with a title (≤ 128 bytes) and a description (≤ 512 bytes).
    case video(mediaID: String, title: String? = nil, description: String? = nil)
    /// An uploaded file.
    case file(mediaID: String)
    /// A mini program notice (`miniprogram_notice`), for an app linked to a mini program.
    case miniprogramNotice(WeComMiniprogramNotice)
    /// A template card, as the JSON object of `template_card`.
    case templateCard(json: String)

    /// WeCom's `msgtype`.
    public var messageType: String {
        switch self {
        case .text: "text"
        case .markdown: "markdown"
        case .textCard: "textcard"
        case .news: "news"
        case .mpnews: "mpnews"
        case .image: "image"
        case .voice: "voice"
        case .video: "video"
        case .file: "file"
        case .miniprogramNotice: "miniprogram_notice"
        case .templateCard: "template_card"
        }
    }

    /// The object under the `msgtype` key.
    var body: Any {
        switch self {
        case .text(let content), .markdown(let content): ["content": content]
        case .textCard(let title, let description, let url, let button):
            ["title": title, "description": description, "url": url, "btntxt": button ?? "详情"]
        case .news(let articles): ["articles": articles.map(\.object)]
        case .mpnews(let articles): ["articles": articles.map(\.object)]
        case .image(let id), .voice(let id), .file(let id): ["media_id": id]
        case .video(let id, let title, let description):
            ["media_id": id, "title": title, "description": description].compactMapValues { $0 }
        case .miniprogramNotice(let notice): notice.object
        case .templateCard(let json): (try? JSONSerialization.jsonObject(with: Data(json.utf8))) ?? [:]
        }
    }
}
