import Foundation
import LarkKit
import Testing

/// The card action model read from real-shaped callbacks, and the answers written in lark-oapi's shapes.
@Suite
struct LarkCardActionTests {
    @Test
    func aFormSubmissionCarriesItsFieldsHostAndContext() throws {
        let event = #"""
            {"operator":{"tenant_key":"t1","user_id":"u1","open_id":"ou_1","union_id":"on_1"},"token":"c-abc",
             "action":{"value":{"step":"approve"},"tag":"button","name":"submit","timezone":"Asia/Shanghai",
                       "form_value":{"reason":"looks good","owners":["ou_2","ou_3"],"due":"2024-05-01 +0800","urgent":true}},
             "host":"im_message","delivery_type":"url_preview",
             "context":{"url":"https://example.com/x","preview_token":"pt_1","open_message_id":"om_1","open_chat_id":"oc_1"}}
            """#
        let action = try JSONDecoder().decode(LarkCardAction.self, from: Data(event.utf8))
        #expect(action.operator?.unionID == "on_1")
        #expect(action.host == "im_message")
        #expect(action.deliveryType == "url_preview")
        #expect(action.context?.url == "https://example.com/x")
        #expect(action.context?.previewToken == "pt_1")
        #expect(action.action.name == "submit")
        #expect(action.action.timezone == "Asia/Shanghai")
        struct Form: Decodable, Equatable {
            var reason: String
            var owners: [String]
            var urgent: Bool
        }
        #expect(try action.action.formValue(as: Form.self) == Form(reason: "looks good", owners: ["ou_2", "ou_3"], urgent: true))
        #expect(try action.action.value(as: [String: String].self) == ["step": "approve"])
    }

    @Test
    func selectsCheckersAndInputsCarryWhatWasPicked() throws {
        let decode = { (action: String) in
            try JSONDecoder().decode(LarkCardAction.self, from: Data(#"{"action":\#(action)}"#.utf8)).action
        }
        #expect(try decode(#"{"tag":"select_static","option":"p1","value":{"k":1}}"#).option == "p1")
        #expect(try decode(#"{"tag":"multi_select_static","options":["a","b"]}"#).options == ["a", "b"])
        #expect(try decode(#"{"tag":"checker","checked":true}"#).checked == true)
        #expect(try decode(#"{"tag":"input","input_value":"hello"}"#).inputValue == "hello")
        // A value of a type the SDK does not expect is kept, not a reason to refuse the callback.
        #expect(try decode(#"{"tag":"button","value":[1,2.5,null,"x"]}"#).valueJSON == #"[1,2.5,null,"x"]"#)
    }

    @Test
    func answersAreAToastACardOrATemplateCardInLarksShape() {
        let toast = LarkCardActionResponse(toast: .init(.success, "ok", i18n: ["zh_cn": "好", "en_us": "ok"]))
        #expect(String(decoding: toast.body, as: UTF8.self) == #"{"toast":{"content":"ok","i18n":{"en_us":"ok","zh_cn":"好"},"type":"success"}}"#)
        let raw = LarkCardActionResponse(card: .raw(json: #"{"elements":[{"tag":"markdown","content":"done"}]}"#))
        #expect(String(decoding: raw.body, as: UTF8.self) == #"{"card":{"data":{"elements":[{"content":"done","tag":"markdown"}]},"type":"raw"}}"#)
        let template = LarkCardActionResponse(toast: .init(.info, "updated"), card: .template(id: "ctp_x", variablesJSON: #"{"a":1}"#))
        #expect(
            String(decoding: template.body, as: UTF8.self)
                == #"{"card":{"data":{"template_id":"ctp_x","template_variable":{"a":1}},"type":"template"},"toast":{"content":"updated","type":"info"}}"#)
        #expect(String(decoding: LarkCardActionResponse().body, as: UTF8.self) == "{}")
        #expect(String(decoding: raw.legacyBody, as: UTF8.self) == #"{"elements":[{"content":"done","tag":"markdown"}]}"#)
        #expect(String(decoding: toast.legacyBody, as: UTF8.self) == "{}")
    }
}
