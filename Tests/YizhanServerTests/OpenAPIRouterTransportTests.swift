import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenAPIRuntime
import Testing

@testable import YizhanServer

/// The transport that mounts generated operations, exercised over real HTTP with a small gather
/// limit so both of its response paths run.
@Suite(.timeLimit(.minutes(1)))
struct OpenAPIRouterTransportTests {
    /// A transport whose operations answer with the bodies below; bodies over 8 bytes stream.
    private func withTransportApp(_ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: AppRequestContext.self)
        let transport = OpenAPIRouterTransport(router: router, gatherLimit: 8)
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 65_536)
        try transport.register({ _, _, _ in (HTTPResponse(status: .ok), HTTPBody("small")) }, method: .get, path: "/small")
        try transport.register(
            { _, _, _ in
                let chunks = stride(from: 0, to: big.count, by: 4096).map { ArraySlice(big[$0..<$0 + 4096]) }
                return (HTTPResponse(status: .ok), HTTPBody(chunks.async, length: .known(Int64(big.count)), iterationBehavior: .single))
            }, method: .get, path: "/large")
        try transport.register(
            { _, _, _ in
                (HTTPResponse(status: .ok), HTTPBody(["un", "known"].async, length: .unknown, iterationBehavior: .single))
            }, method: .get, path: "/unknown")
        try transport.register(
            { _, body, metadata in
                let received = try await String(collecting: body ?? HTTPBody(), upTo: 1024)
                let id = metadata.pathParameters["id"].map(String.init) ?? "-"
                return (HTTPResponse(status: .ok), HTTPBody("\(id):\(received)"))
            }, method: .post, path: "/items/{id}")
        try await Application(router: router).test(.live) { client in try await test(client) }
    }

    @Test func aSmallBodyOfKnownLengthArrivesWholeWithItsLength() async throws {
        try await withTransportApp { client in
            try await client.execute(uri: "/small", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "small")
                #expect(response.headers[.contentLength] == "5")
            }
        }
    }

    @Test func aBodyOverTheGatherLimitStreamsWholeWithItsLength() async throws {
        try await withTransportApp { client in
            try await client.execute(uri: "/large", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 65_536)
                #expect(response.body.readableBytesView.allSatisfy { $0 == UInt8(ascii: "x") })
                #expect(response.headers[.contentLength] == "65536")
            }
        }
    }

    @Test func aBodyOfUnknownLengthStreams() async throws {
        try await withTransportApp { client in
            try await client.execute(uri: "/unknown", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "unknown")
            }
        }
    }

    @Test func pathParametersAndTheRequestBodyReachTheOperation() async throws {
        try await withTransportApp { client in
            try await client.execute(uri: "/items/42", method: .post, body: ByteBuffer(string: "payload")) { response in
                #expect(String(buffer: response.body) == "42:payload")
            }
            try await client.execute(uri: "/items/7", method: .post) { response in
                #expect(String(buffer: response.body) == "7:")
            }
        }
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    fileprivate var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
