import Foundation
import NIOHTTP1
import ProviderKitSupport

extension LarkClient {
    /// At most this many emails, and as many mobiles, per `batch_get_id`.
    public static let batchLookupLimit = 50

    /// `POST /open-apis/contact/v3/users/batch_get_id`: the users with these emails and mobiles
    /// (non-mainland mobiles with `+<country code>`), one match per email and mobile, in order;
    /// `userID` is nil for those nobody visible to the app has.
    public func userIDs(
        emails: [String] = [], mobiles: [String] = [], idType: LarkUserIDType = .openID, includeResigned: Bool = false
    ) async throws(LarkError) -> [LarkUserMatch] {
        guard emails.count <= Self.batchLookupLimit, mobiles.count <= Self.batchLookupLimit else {
            throw LarkError(category: .permanent, code: 0, message: "at most \(Self.batchLookupLimit) emails and \(Self.batchLookupLimit) mobiles per lookup")
        }
        guard !emails.isEmpty || !mobiles.isEmpty else { return [] }
        struct Answer: Decodable { var user_list: [LarkUserMatch]? }
        let body: [String: Any] = ["emails": emails, "mobiles": mobiles, "include_resigned": includeResigned]
        return try await authorized(
            path: "/open-apis/contact/v3/users/batch_get_id?user_id_type=\(idType.rawValue)", body: .json(body), idempotent: true, as: Answer.self
        ).user_list ?? []
    }

    /// `GET /open-apis/contact/v3/users/:user_id`: one user by an id of the given type.
    public func user(id: String, idType: LarkUserIDType = .openID) async throws(LarkError) -> LarkUser {
        struct Answer: Decodable { var user: LarkUser }
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? id
        return try await authorized(
            .GET, path: "/open-apis/contact/v3/users/\(escaped)?user_id_type=\(idType.rawValue)", body: nil, idempotent: true, as: Answer.self
        ).user
    }
}
