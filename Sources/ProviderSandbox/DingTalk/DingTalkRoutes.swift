import Foundation
import Hummingbird
import NIOFoundationCompat

/// DingTalk's robot webhook, `POST /robot/send?access_token=&timestamp=&sign=`.
enum DingTalkRoutes {
    static func register(on router: Router<BasicRequestContext>, dingtalk: DingTalkSandbox, faults: SandboxFaults) {
        router.post("/robot/send") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let query = request.uri.queryParameters
            let drop: Bool
            do {
                drop = try await faults.apply(provider: "dingtalk", appID: query["access_token"].map(String.init) ?? "", sends: true)
            } catch let failure as InjectedFailure {
                return SandboxResponse.json(["errcode": failure.code, "errmsg": failure.message], status: .init(code: failure.status))
            }
            // Hummingbird's query parameters are already percent-decoded.
            let (errcode, errmsg) = await dingtalk.send(
                accessToken: query["access_token"].map(String.init), timestamp: query["timestamp"].map(String.init),
                sign: query["sign"].map(String.init), body: Data(buffer: body), peer: SandboxPeer.address)
            return drop ? SandboxResponse.dropped() : SandboxResponse.json(["errcode": errcode, "errmsg": errmsg])
        }
    }
}
