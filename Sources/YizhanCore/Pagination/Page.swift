/// One page of a list, with the total count for page navigation.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// How many items match in all.
    public var total: Int
    public var page: Int
    public var pageSize: Int

    public init(items: [Item], total: Int, page: Int, pageSize: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }
}

/// Which page to read: 1-based `page` up to ``maximumPage``, `pageSize` from 1 to 200.
public struct PageRequest: Sendable, Equatable {
    /// The highest page number accepted; with 200 a page, 200 million rows. Bounds the offset, which
    /// would otherwise overflow (and trap) for a page number near `Int.max`.
    public static let maximumPage = 1_000_000

    public var page: Int
    public var pageSize: Int

    /// Clamps both into range.
    public init(page: Int = 1, pageSize: Int = 50) {
        self.page = min(max(1, page), Self.maximumPage)
        self.pageSize = min(max(1, pageSize), 200)
    }

    /// Rows to skip.
    public var offset: Int { (page - 1) * pageSize }
}
