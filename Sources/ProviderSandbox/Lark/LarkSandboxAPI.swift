/// The Lark APIs the sandbox rate-limits. Lark limits each API per app (and tenant) on its own,
/// so each is its own bucket: a burst of sends does not use up the app's lookups.
enum LarkSandboxAPI: String, Sendable, CaseIterable {
    case send, reply, recall, updateCard, uploadImage, uploadFile, batchGetID, getUser, createChat, chatMembers

    /// Calls a second and a minute. The message create and reply docs give 50/s and 1000/min
    /// (REFERENCE A2.1, A2.2); for the others the sandbox assumes the same tier (UNCERTAIN: their
    /// pages name their own tiers, which our reference does not record).
    var limits: (perSecond: Int, perMinute: Int) { (50, 1000) }
}
