import Foundation
import LarkKit
import ProviderKitSupport
import WeComKit
import YizhanCore
import YizhanStorage

extension ContactDirectory {
    /// WeCom's "no such member" for `user/getuserid` and `user/get_userid_by_email`. UNCERTAIN for
    /// the email lookup: its page lists no code of its own, and 46004 is what is commonly reported.
    static let wecomNoSuchMember = 46004

    /// Now, to the millisecond the cache keeps, so a hit says the same time as the answer it keeps.
    func answeredAt() -> Date { Timestamp.date(milliseconds: Timestamp.milliseconds(clock.now())) }

    /// The person the app's provider finds for `lookup` now, or nil when it finds nobody.
    ///
    /// Answers at ``deadline`` whatever the provider does: the lookup is cancelled then, and a
    /// token fetch it waited for goes on for the app's other callers.
    /// - Throws: `PROVIDER_ERROR` when the provider refused, or 503 with `Retry-After` when it did
    ///   not answer within ``deadline``.
    func ask(_ app: ProviderApp, _ lookup: ContactLookup) async throws -> Contact? {
        let providerName = app.provider == .wecom ? "WeCom" : "Lark"
        let deadline = deadline
        return try await withDeadline(deadline, onTimeout: {
            YizhanError.providerFailure(
                providerName, code: 0, message: "no answer within \(deadline)", category: .retryable, retryAfter: deadline)
        }) { try await self.askNow(app, lookup) }
    }

    private func askNow(_ app: ProviderApp, _ lookup: ContactLookup) async throws -> Contact? {
        do {
            return app.provider == .wecom ? try await askWeCom(app, lookup) : try await askLark(app, lookup)
        } catch let error as LarkError {
            throw YizhanError.providerFailure(
                "Lark", code: error.code, message: error.message, category: error.category, logID: error.logID)
        } catch let error as WeComError {
            throw YizhanError.providerFailure("WeCom", code: error.errcode, message: error.errmsg, category: error.category)
        }
    }

    /// `batch_get_id` for the open_id, then the user for the other ids.
    private func askLark(_ app: ProviderApp, _ lookup: ContactLookup) async throws -> Contact? {
        let client = try await tokens.larkClient(appID: app.id, tenantID: app.tenantID)
        let matches =
            switch lookup {
            case .email(let email): try await client.userIDs(emails: [email])
            case .mobile(let mobile): try await client.userIDs(mobiles: [mobile])
            }
        // An entry without a `user_id`, or with an empty one, is nobody: an empty open_id is no
        // id to send to, and would be kept as a person for a day.
        guard let openID = Self.id(matches.first?.userID) else { return nil }
        var contact = Contact(provider: .lark, lookup: lookup, openID: openID, lookedUpAt: answeredAt())
        do {
            let user = try await client.user(id: openID)
            contact.unionID = Self.id(user.unionID)
            contact.userID = Self.id(user.userID)
        } catch {
            // An app may resolve ids without the right to read the user (its contact range, the
            // employee-id permission): the open_id is still the answer, and the rest stay unknown.
            guard error.category == .permanent else { throw error }
        }
        return contact
    }

    /// `user/getuserid` for a mobile; `user/get_userid_by_email` for an email, as a corporate
    /// mailbox first and then as a personal address.
    private func askWeCom(_ app: ProviderApp, _ lookup: ContactLookup) async throws -> Contact? {
        let client = try await tokens.wecomClient(appID: app.id, tenantID: app.tenantID)
        let found: String?
        switch lookup {
        case .mobile(let mobile):
            found = try await Self.member { () async throws(WeComError) in try await client.userID(mobile: mobile) }
        case .email(let email):
            if let corporate = try await Self.member({ () async throws(WeComError) in try await client.userID(email: email, corporate: true) }) {
                found = corporate
            } else {
                found = try await Self.member { () async throws(WeComError) in try await client.userID(email: email, corporate: false) }
            }
        }
        return Self.id(found).map { Contact(provider: .wecom, lookup: lookup, userID: $0, lookedUpAt: answeredAt()) }
    }

    /// A provider's id, or nil when it gave none or an empty one.
    private static func id(_ given: String?) -> String? {
        guard let given, !given.isEmpty else { return nil }
        return given
    }

    /// The userid `lookup` answers, or nil for "no such member".
    ///
    /// One exhaustive `catch` in a function of its own: `catch let error as WeComError where …` on
    /// a `do` whose throws are typed made Swift 6.3's SIL passes loop forever.
    private static func member(_ lookup: () async throws(WeComError) -> String) async throws(WeComError) -> String? {
        do {
            return try await lookup()
        } catch {
            guard error.errcode == wecomNoSuchMember else { throw error }
            return nil
        }
    }
}
