/// A mini program notice: a title, a description and up to 10 key–value lines, opening a page of
/// the mini program linked to the app.
public struct WeComMiniprogramNotice: Sendable, Equatable {
    /// The linked mini program's `appid`.
    public var appID: String
    /// The page to open, with its query (`pages/index?userid=zhangsan`); none opens the home page.
    public var page: String?
    /// The title.
    public var title: String
    /// The description, such as a date.
    public var description: String?
    /// Whether the first line is shown enlarged (`emphasis_first_item`).
    public var emphasizeFirstItem: Bool
    /// The lines (at most 10), in order.
    public var items: [(key: String, value: String)]

    public init(
        appID: String, page: String? = nil, title: String, description: String? = nil, emphasizeFirstItem: Bool = false,
        items: [(key: String, value: String)] = []
    ) {
        self.appID = appID
        self.page = page
        self.title = title
        self.description = description
        self.emphasizeFirstItem = emphasizeFirstItem
        self.items = items
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.appID == rhs.appID && lhs.page == rhs.page && lhs.title == rhs.title && lhs.description == rhs.description
            && lhs.emphasizeFirstItem == rhs.emphasizeFirstItem && lhs.items.elementsEqual(rhs.items, by: { $0 == $1 })
    }

    var object: [String: Any] {
        var object: [String: Any] = [
            "appid": appID, "title": title, "emphasis_first_item": emphasizeFirstItem,
            "content_item": items.map { ["key": $0.key, "value": $0.value] },
        ]
        if let page { object["page"] = page }
        if let description { object["description"] = description }
        return object
    }
}
