/// The network address of the client making the request in scope, as the HTTP edge saw it.
public enum ClientAddress {
    /// The address (an IP, without port) of the running request, if any; see ``RequestScope``.
    public static var current: String? { RequestScope.current?.clientAddress }
}
