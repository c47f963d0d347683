import Foundation

extension LarkEvent {
    /// The ticket of an `app_ticket` event (v1: `event.app_ticket`), else nil.
    public var appTicket: String? {
        guard eventType == "app_ticket", let object = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any] else {
            return nil
        }
        let event = object["event"] as? [String: Any] ?? object
        return event["app_ticket"] as? String
    }
}
