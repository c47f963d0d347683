/// `template_card_event`: a member pressed a button of, or submitted, a template card the app sent.
public struct WeComTemplateCardEvent: Sendable, Equatable {
    /// One answered question of a vote or multiple-choice card (`SelectedItems.SelectedItem`).
    public struct Selection: Sendable, Equatable {
        /// `QuestionKey`.
        public var questionKey: String
        /// `OptionIds.OptionId`, in order.
        public var optionIDs: [String]

        public init(questionKey: String, optionIDs: [String]) {
            self.questionKey = questionKey
            self.optionIDs = optionIDs
        }
    }

    /// The key of the button pressed (`EventKey`).
    public var eventKey: String
    /// The card's task id (`TaskId`).
    public var taskID: String
    /// `CardType`: `button_interaction`, `vote_interaction`, `multiple_interaction`, …
    public var cardType: String
    /// `ResponseCode`: for `message/update_template_card`, once, within 72 hours.
    public var responseCode: String
    /// What was chosen, for vote and multiple-choice cards.
    public var selections: [Selection]

    init(_ root: WeComXMLNode, fields: [String: String]) {
        eventKey = fields["EventKey"] ?? ""
        taskID = fields["TaskId"] ?? ""
        cardType = fields["CardType"] ?? ""
        responseCode = fields["ResponseCode"] ?? ""
        selections = (root.child("SelectedItems")?.children("SelectedItem") ?? []).map { item in
            Selection(
                questionKey: item.child("QuestionKey")?.text ?? "",
                optionIDs: item.child("OptionIds")?.children("OptionId").map(\.text) ?? [])
        }
    }
}
