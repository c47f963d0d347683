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

/// Which page to read: 1-based `page`, `pageSize` from 1 to 200.
public struct PageRequest: Sendable, Equatable {
    public var page: Int
    public var pageSize: Int

    public init(page: Int = 1, pageSize: Int = 50) {
        self.page = max(1, page)
        self.pageSize = min(max(1, pageSize), 200)
    }

    /// Rows to skip.
    public var offset: Int { (page - 1) * pageSize }
}
