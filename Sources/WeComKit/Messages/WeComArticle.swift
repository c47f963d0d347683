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
