/// One button of a ``DingTalkMessage/multiButtonCard(title:text:buttons:horizontal:)``.
public struct DingTalkCardButton: Sendable, Equatable {
    /// The button's label.
    public var title: String
    /// The link the button opens.
    public var actionURL: String

    public init(title: String, actionURL: String) {
        self.title = title
        self.actionURL = actionURL
    }
}
