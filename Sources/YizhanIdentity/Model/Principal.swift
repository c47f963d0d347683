/// Who is making the request in scope, and what they may do.
///
/// The HTTP edge authenticates the request and binds the principal with
/// `Principal.$current.withValue(_:)`; handlers and services read `Principal.current`.
package struct Principal: Sendable, Equatable {
    /// What kind of credential was presented.
    package enum Actor: Sendable, Equatable {
        /// A person, through an access token of a login session.
        case user(id: String, email: String, sessionID: String)
        /// A machine, through an API key.
        case apiKey(id: String, name: String, createdBy: String)
    }

    package var tenantID: String
    package var tenantCode: String
    package var tenantName: String
    package var actor: Actor
    package var permissions: Set<Permission>
    /// The user's role names (empty for an API key, which holds permissions directly).
    package var roles: Set<String>

    package init(
        tenantID: String, tenantCode: String, tenantName: String, actor: Actor, permissions: Set<Permission>,
        roles: Set<String> = []
    ) {
        self.tenantID = tenantID
        self.tenantCode = tenantCode
        self.tenantName = tenantName
        self.actor = actor
        self.permissions = permissions
        self.roles = roles
    }

    /// The principal of the running request, if it is authenticated.
    @TaskLocal package static var current: Principal?

    /// Whether the principal holds `permission`.
    package func has(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// The id of the user or key, for audit entries and rate limits.
    package var actorID: String {
        switch actor {
        case .user(let id, _, _), .apiKey(let id, _, _): id
        }
    }

    /// `user` or `api_key`.
    package var actorType: String {
        switch actor {
        case .user: "user"
        case .apiKey: "api_key"
        }
    }

    /// The user's email or the key's name, for people reading the audit log.
    package var actorLabel: String {
        switch actor {
        case .user(_, let email, _): email
        case .apiKey(_, let name, _): name
        }
    }

    /// The user id, when the principal is a person.
    package var userID: String? {
        if case .user(let id, _, _) = actor { return id }
        return nil
    }
}
