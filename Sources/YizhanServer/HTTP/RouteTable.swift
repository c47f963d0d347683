import HTTPTypes
import Hummingbird

/// The registered routes, for answering 405 with `Allow`, and for walking the API in tests.
package struct RouteTable: Sendable {
    /// One registered route.
    package struct Route: Sendable, CustomStringConvertible {
        package let method: HTTPRequest.Method
        package let path: RouterPath
        package var description: String { "\(method.rawValue) \(path)" }
    }

    package let routes: [Route]

    init(routes: [Route]) {
        self.routes = routes
    }

    init(router: Router<AppRequestContext>) {
        self.routes = router.routes.map { Route(method: $0.method, path: $0.path) }
    }

    /// The methods registered for a concrete request path (empty when no route has that path).
    /// Where a literal segment and a parameter both match (`/messages/batch` and
    /// `/messages/{message_id}`), the router takes the literal one, and so does this.
    package func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.filter { Self.matches($0.path, components) }
        let mostLiteral = matching.map { Self.literals($0.path) }.max() ?? 0
        let methods = matching.filter { Self.literals($0.path) == mostLiteral }.map(\.method)
        return Array(Set(methods)).sorted { $0.rawValue < $1.rawValue }
    }

    /// How many of the pattern's segments are literal.
    private static func literals(_ pattern: RouterPath) -> Int {
        pattern.components.filter { element in !element.description.contains(where: { "{*!".contains($0) }) }.count
    }

    private static func matches(_ pattern: RouterPath, _ components: [Substring]) -> Bool {
        var index = 0
        for element in pattern.components {
            if element == .recursiveWildcard { return true }
            guard index < components.count, element ~= components[index] else { return false }
            index += 1
        }
        return index == components.count
    }
}
