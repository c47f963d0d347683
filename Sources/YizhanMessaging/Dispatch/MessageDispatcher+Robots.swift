import DingTalkKit
import Foundation
import LarkKit
import NIOCore
import ProviderKitSupport
import WeComKit
import YizhanCore
import YizhanCredentials

extension MessageDispatcher {
    /// One post to the robot's or bot's group. Robots have no dedupe key: a group marked attempted
    /// by an earlier attempt (its answer lost, or the process died after the post) is never posted to
    /// again — it ends `unknown`.
    func sendRobot(_ sending: inout Sending) async throws -> AttemptResult {
        guard let index = sending.pending.first else { return .done }
        if sending.recipients[index].attemptedAt != nil {
            sending.recipients[index].giveUp(code: sending.recipients[index].providerCode, reason: "an earlier post may have reached the group")
            return .done
        }
        let message = sending.message
        let (app, secrets) = try await credentials.apps.credentials(id: message.appID, tenantID: message.tenantID)
        let timeout = TimeAmount.seconds(10)
        try await begin([index], &sending)
        let category: ProviderErrorCategory
        let code: Int
        let reason: String
        do {
            switch message.provider {
            case .larkBot:
                let bot = LarkCustomBot(
                    baseURL: app.baseURL, hookToken: AppInput.hookToken(secrets["webhook_url"] ?? ""), secret: secrets["secret"], timeout: timeout, httpClient: httpClient,
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
            sending.recipients[index].sent(providerMessageID: nil)
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
            sending.recipients[index].refused(code: code, reason: reason, startedNow: true)
        case .retry:
            sending.recipients[index].untouched(startedNow: true)
            return .retry(reason: reason, providerCode: code)
        case .wait(let after):
            sending.recipients[index].untouched(startedNow: true)
            return .rateLimited(after: after, providerCode: code)
        case .maybeDelivered:
            sending.recipients[index].giveUp(code: code, reason: "the post may have reached the group: \(reason)")
        }
        return .done
    }
}
