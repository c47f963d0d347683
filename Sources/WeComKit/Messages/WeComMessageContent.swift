import Foundation

/// The body of an app message, so callers never hand-write the JSON.
public enum WeComMessageContent: Sendable, Equatable {
    /// Text, at most 2048 bytes.
    case text(String)
    /// Markdown, at most 2048 bytes (shown in WeCom only).
    case markdown(String)
    /// A text card with a link.
    case textCard(title: String, description: String, url: String, buttonText: String? = nil)
    /// One to eight news articles.
    case news([WeComArticle])
    /// An uploaded image.
    case image(mediaID: String)
    /// An uploaded file.
    case file(mediaID: String)
    /// A template card, as the JSON object of `template_card`.
    case templateCard(json: String)

    /// WeCom's `msgtype`.
    public var messageType: String {
        switch self {
        case .text: "text"
        case .markdown: "markdown"
        case .textCard: "textcard"
        case .news: "news"
        case .image: "image"
        case .file: "file"
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
        case .image(let id), .file(let id): ["media_id": id]
        case .templateCard(let json): (try? JSONSerialization.jsonObject(with: Data(json.utf8))) ?? [:]
        }
    }
}

/// A news article.
public struct WeComArticle: Sendable, Equatable {
    public var title: String
    public var description: String?
    public var url: String
    public var pictureURL: String?

    public init(title: String, description: String? = nil, url: String, pictureURL: String? = nil) {
        self.title = title
        self.description = description
        self.url = url
        self.pictureURL = pictureURL
    }

    var object: [String: String] {
        var object = ["title": title, "url": url]
        if let description { object["description"] = description }
        if let pictureURL { object["picurl"] = pictureURL }
        return object
    }
}

/// Who an app message goes to: members, departments and tags (any mix), or everyone.
public struct WeComRecipients: Sendable, Equatable {
    public var users: [String]
    public var parties: [String]
    public var tags: [String]

    public init(users: [String] = [], parties: [String] = [], tags: [String] = []) {
        self.users = users
        self.parties = parties
        self.tags = tags
    }

    /// `@all`: every member in the app's visibility.
    public static let everyone = WeComRecipients(users: ["@all"])
}

/// What `message/send` answered: the message id and the recipients it could not reach.
public struct WeComSendResult: Sendable, Equatable {
    public var messageID: String?
    public var invalidUsers: [String]
    public var invalidParties: [String]
    public var invalidTags: [String]
    public var unlicensedUsers: [String]

    /// Whether every recipient was valid.
    public var reachedEveryone: Bool {
        invalidUsers.isEmpty && invalidParties.isEmpty && invalidTags.isEmpty && unlicensedUsers.isEmpty
    }
}
