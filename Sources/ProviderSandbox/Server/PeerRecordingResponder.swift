import Hummingbird
import NIOCore

/// Answers with the sandbox's routes, with ``SandboxPeer/address`` set to the IP address of the
/// connection the request came on.
struct PeerRecordingResponder<Routes: HTTPResponder<BasicRequestContext>>: HTTPResponder {
    let routes: Routes

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        try await SandboxPeer.$address.withValue(context.channel.remoteAddress?.ipAddress) {
            try await routes.respond(to: request, context: context.basic)
        }
    }
}
