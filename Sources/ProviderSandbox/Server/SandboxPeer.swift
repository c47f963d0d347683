/// The IP address the request being answered came from, for checks that depend on it (DingTalk
/// robots' IP allowlist).
///
/// A task local, set by ``PeerRecordingResponder``: the routes take Hummingbird's
/// `BasicRequestContext`, which does not carry the connection. nil when the routes are called
/// without a server in front (`app.test(.router)`).
enum SandboxPeer {
    @TaskLocal static var address: String?
}
