import DingTalkKit
import Foundation
import LarkKit
import NIOCore
import ProviderKitSupport
import WeComKit
import YizhanCore
import YizhanCredentials

extension MessageDispatcher {
    /// One post to the robot's or bot's group. Robots have no dedupe key: an answer lost after the
    /// request went out leaves the group `unknown` (a retry could post twice).
    func sendRobot(_ message: Message, _ recipients: inout [Recipient]) async throws -> AttemptResult {
        guard let index = recipients.indices.first(where: { recipients[$0].status == .pending }) else { return .done }
        let (app, secrets) = try await credentials.apps.credentials(id: message.appID, tenantID: message.tenantID)
        let timeout = TimeAmount.seconds(10)
        let category: ProviderErrorCategory
        let code: Int
        let reason: String
        do {
            switch message.provider {
            case .larkBot:
                let webhook = secrets["webhook_url"] ?? ""
                let hook = webhook.components(separatedBy: "/open-apis/bot/v2/hook/").last ?? ""
                let bot = LarkCustomBot(
                    baseURL: app.baseURL, hookToken: hook, secret: secrets["secret"], timeout: timeout, httpClient: httpClient,
                    now: { clock.now() })
                try await bot.send(try MessageContentRules.larkBot(message.content))
            case .wecomRobot:
                let robot = WeComRobot(baseURL: app.baseURL, key: secrets["key"] ?? "", timeout: timeout, httpClient: httpClient)
                try await robot.send(try MessageContentRules.wecomRobot(message.content))
            default:
                let robot = DingTalkRobot(
                    baseURL: app.baseURL, accessToken: secrets["access_token"] ?? "", secret: secrets["secret"], httpClient: httpClient,
                    timeout: timeout, now: { clock.now() })
                try await robot.send(try MessageContentRules.dingTalkRobot(message.content))
            }
            recipients[index].status = .sent
            recipients[index].reason = nil
            return .done
        } catch let error as LarkError {
            (category, code, reason) = (error.category, error.code, error.message)
        } catch let error as WeComError {
            (category, code, reason) = (error.category, error.errcode, error.errmsg)
        } catch let error as DingTalkError {
            (category, code, reason) = (error.category, error.errcode, error.errmsg)
        }
        switch RecipientFailure(category) {
        case .fail:
            recipients[index].status = .failed
        case .retry:
            return .retry(reason: reason, providerCode: code)
        case .wait(let after):
            return .rateLimited(after: after, providerCode: code)
        case .maybeDelivered:
            recipients[index].status = .unknown
        }
        recipients[index].providerCode = code
        recipients[index].reason = reason
        return .done
    }
}
