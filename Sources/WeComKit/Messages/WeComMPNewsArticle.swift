/// An article of an `mpnews` message: its HTML is sent with it and shown inside WeCom.
public struct WeComMPNewsArticle: Sendable, Equatable {
    /// The title.
    public var title: String
    /// The cover image: a `media_id` from ``WeComClient/uploadMedia(_:filename:type:contentType:)``.
    public var thumbMediaID: String
    /// The HTML body (at most 666 KB).
    public var content: String
    /// The author (at most 64 bytes).
    public var author: String?
    /// The link behind "read the original".
    public var contentSourceURL: String?
    /// The summary shown in the message list (at most 512 bytes).
    public var digest: String?

    public init(
        title: String, thumbMediaID: String, content: String, author: String? = nil, contentSourceURL: String? = nil,
        digest: String? = nil
    ) {
        self.title = title
        self.thumbMediaID = thumbMediaID
        self.content = content
        self.author = author
        self.contentSourceURL = contentSourceURL
        self.digest = digest
    }

    var object: [String: String] {
        ["title": title, "thumb_media_id": thumbMediaID, "content": content, "author": author,
         "content_source_url": contentSourceURL, "digest": digest].compactMapValues { $0 }
    }
}
