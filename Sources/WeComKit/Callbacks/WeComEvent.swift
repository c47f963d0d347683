/// What happened, for a callback whose `MsgType` is `event` (named by `Event`).
public enum WeComEvent: Sendable, Equatable {
    /// `subscribe`: a member came into the app's visibility, or joined the corp.
    case subscribe
    /// `unsubscribe`: a member left the app's visibility, or left or was disabled in the corp.
    case unsubscribe
    /// `enter_agent`: a member opened the app (`EventKey`, empty in practice).
    case enterAgent(eventKey: String)
    /// `click`: a menu button with this `EventKey` was pressed.
    case click(key: String)
    /// `view`: a menu link was opened (`EventKey` is its URL).
    case view(url: String)
    /// `LOCATION`: the member's position (`Latitude`, `Longitude`, `Precision`), as WeCom writes
    /// them (decimal text).
    case location(latitude: String, longitude: String, precision: String)
    /// `change_contact`: the directory changed.
    case changeContact(WeComContactChange)
    /// `change_external_contact`: a member's external contacts changed.
    case changeExternalContact(WeComExternalContactChange)
    /// `template_card_event`: a template card was answered.
    case templateCard(WeComTemplateCardEvent)
    /// Any other event, by its `Event` as sent, with the callback's top-level fields (nested
    /// elements under dotted paths).
    case other(type: String, fields: [String: String])

    /// Reads the event named by `Event`; names are compared in lower case, as WeCom sends
    /// `LOCATION` in capitals and the rest in lower case.
    init(root: WeComXMLNode, fields: [String: String]) {
        let name = fields["Event"] ?? ""
        let field = { (name: String) in fields[name] ?? "" }
        switch name.lowercased() {
        case "subscribe": self = .subscribe
        case "unsubscribe": self = .unsubscribe
        case "enter_agent": self = .enterAgent(eventKey: field("EventKey"))
        case "click": self = .click(key: field("EventKey"))
        case "view": self = .view(url: field("EventKey"))
        case "location": self = .location(latitude: field("Latitude"), longitude: field("Longitude"), precision: field("Precision"))
        case "change_contact": self = .changeContact(WeComContactChange(changeType: field("ChangeType"), fields: fields))
        case "change_external_contact": self = .changeExternalContact(WeComExternalContactChange(fields: fields))
        case "template_card_event": self = .templateCard(WeComTemplateCardEvent(root, fields: fields))
        default: self = .other(type: name, fields: fields)
        }
    }
}
