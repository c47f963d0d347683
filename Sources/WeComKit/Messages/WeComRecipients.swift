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

    /// The most members one `message/send` takes in `touser` (more is 40032).
    public static let maximumUsers = 1000
    /// The most departments one `message/send` takes in `toparty` (more is 82002).
    public static let maximumParties = 100
    /// The most tags one `message/send` takes in `totag` (more is 82003).
    public static let maximumTags = 100

    /// The recipients of each request: the n-th request takes the n-th 1,000 members, 100
    /// departments and 100 tags, so there are as few requests as the longest list needs, and
    /// always the same ones for the same recipients. `@all` is one request (WeCom then ignores
    /// departments and tags).
    var batches: [WeComRecipients] {
        guard users != ["@all"] else { return [self] }
        func chunk(_ list: [String], _ size: Int, _ index: Int) -> [String] {
            Array(list.dropFirst(index * size).prefix(size))
        }
        let count = max(
            1, (users.count + Self.maximumUsers - 1) / Self.maximumUsers, (parties.count + Self.maximumParties - 1) / Self.maximumParties,
            (tags.count + Self.maximumTags - 1) / Self.maximumTags)
        return (0..<count).map { index in
            WeComRecipients(
                users: chunk(users, Self.maximumUsers, index), parties: chunk(parties, Self.maximumParties, index),
                tags: chunk(tags, Self.maximumTags, index))
        }
    }
}
