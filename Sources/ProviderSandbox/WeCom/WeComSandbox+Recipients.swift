extension WeComSandbox {
    /// Who one `message/send` reaches, and whom WeCom would list as invalid or unlicensed.
    struct Reach: Sendable {
        /// Licensed members the message goes to, sorted.
        var members: [String]
        var invalidUsers: [String]
        var invalidParties: [String]
        var invalidTags: [String]
        /// Members seeded with `"licensed": false`: reached, but sent nothing (`unlicenseduser`).
        var unlicensed: [String]
    }

    /// Resolves `touser`, `toparty` and `totag` against the seeded members, departments and tags.
    ///
    /// More than 1,000 members is 40032, more than 100 departments 82002, more than 100 tags
    /// 82003 (WeCom's errcodes for those list lengths); no recipient at all is 82001; none valid
    /// 81013. `@all` reaches every member and ignores departments and tags. UNCERTAIN: a send
    /// whose every valid recipient is unlicensed answers 0 with `unlicenseduser`, not 81013.
    func reach(corpID: String, users touser: [String], parties: [String], tags: [String]) throws(WeComAPIError) -> Reach {
        guard touser.count <= 1000 else { throw .tooManyUsers }
        guard parties.count <= 100 else { throw .tooManyParties }
        guard tags.count <= 100 else { throw .tooManyTags }
        guard !(touser.isEmpty && parties.isEmpty && tags.isEmpty) else { throw .noRecipient }
        let members = users[corpID] ?? [:]
        var reached: Set<String>
        var reach = Reach(members: [], invalidUsers: [], invalidParties: [], invalidTags: [], unlicensed: [])
        if touser == ["@all"] {
            reached = Set(members.keys)
        } else {
            let knownDepartments = departments[corpID] ?? []
            let knownTags = self.tags[corpID] ?? [:]
            let validParties = Set(parties.compactMap(Int.init).filter(knownDepartments.contains))
            let validTags = tags.compactMap { Int($0).flatMap { knownTags[$0] } }
            // A tag reaches its members and the members of its departments.
            let tagParties = Set(validTags.flatMap { $0.partyList ?? [] })
            reached = Set(touser.filter { members[$0] != nil })
                .union(validTags.flatMap { $0.userList ?? [] }.filter { members[$0] != nil })
                .union(members.values.filter { !validParties.union(tagParties).isDisjoint(with: $0.departments ?? []) }.map(\.userID))
            reach.invalidUsers = touser.filter { members[$0] == nil }
            reach.invalidParties = parties.filter { Int($0).map { !validParties.contains($0) } ?? true }
            reach.invalidTags = tags.filter { Int($0).flatMap { knownTags[$0] } == nil }
        }
        guard !reached.isEmpty else { throw .noValidRecipient }
        reach.unlicensed = reached.filter { members[$0]?.licensed == false }.sorted()
        reach.members = reached.subtracting(reach.unlicensed).sorted()
        return reach
    }
}
