import Foundation

/// A DingTalk custom robot message, so callers never hand-write the JSON.
public enum DingTalkMessage: Sendable, Equatable {
    /// Text, with optional @mentions by mobile, by user id, or of everyone.
    case text(String, atMobiles: [String] = [], atUserIDs: [String] = [], atAll: Bool = false)
    /// A link card.
    case link(title: String, text: String, messageURL: String, pictureURL: String? = nil)
    /// Markdown, with optional @mentions (each mobile or user id must also appear in the text as
    /// `@138…` or `@userid` for DingTalk to highlight it).
    case markdown(title: String, text: String, atMobiles: [String] = [], atUserIDs: [String] = [], atAll: Bool = false)
    /// An action card with one button.
    case actionCard(title: String, text: String, buttonTitle: String, buttonURL: String)
    /// An action card whose buttons each open their own link (DingTalk's "independent jump" card),
    /// laid out side by side or one above the other.
    case multiButtonCard(title: String, text: String, buttons: [DingTalkCardButton], horizontal: Bool = false)
    /// A feed card of links.
    case feedCard([DingTalkFeedLink])

    /// DingTalk's `msgtype`.
    public var messageType: String {
        switch self {
        case .text: "text"
        case .link: "link"
        case .markdown: "markdown"
        case .actionCard, .multiButtonCard: "actionCard"
        case .feedCard: "feedCard"
        }
    }

    /// The request body.
    var body: [String: Any] {
        switch self {
        case .text(let content, let mobiles, let userIDs, let all):
            ["msgtype": "text", "text": ["content": content], "at": ["atMobiles": mobiles, "atUserIds": userIDs, "isAtAll": all]]
        case .link(let title, let text, let url, let picture):
            ["msgtype": "link", "link": ["title": title, "text": text, "messageUrl": url, "picUrl": picture ?? ""]]
        case .markdown(let title, let text, let mobiles, let userIDs, let all):
            ["msgtype": "markdown", "markdown": ["title": title, "text": text], "at": ["atMobiles": mobiles, "atUserIds": userIDs, "isAtAll": all]]
        case .actionCard(let title, let text, let buttonTitle, let buttonURL):
            ["msgtype": "actionCard", "actionCard": ["title": title, "text": text, "singleTitle": buttonTitle, "singleURL": buttonURL]]
        case .multiButtonCard(let title, let text, let buttons, let horizontal):
            // btnOrientation: "0" stacks the buttons, "1" lays them side by side.
            ["msgtype": "actionCard", "actionCard": [
                "title": title, "text": text, "btnOrientation": horizontal ? "1" : "0",
                "btns": buttons.map { ["title": $0.title, "actionURL": $0.actionURL] },
            ]]
        case .feedCard(let links):
            ["msgtype": "feedCard", "feedCard": ["links": links.map { ["title": $0.title, "messageURL": $0.messageURL, "picURL": $0.pictureURL] }]]
        }
    }
}

/// One entry of a feed card.
public struct DingTalkFeedLink: Sendable, Equatable {
    public var title: String
    public var messageURL: String
    public var pictureURL: String

    public init(title: String, messageURL: String, pictureURL: String) {
        self.title = title
        self.messageURL = messageURL
        self.pictureURL = pictureURL
    }
}
