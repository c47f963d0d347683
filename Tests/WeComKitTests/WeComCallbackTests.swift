import Testing
import WeComKit

/// Decrypted callbacks read into typed messages and events (REFERENCE.md F2), with their dedupe keys.
@Suite
struct WeComCallbackTests {
    /// The plaintext of the official vector W1 (CDATA strings).
    static let w1 = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>"

    static func callback(_ body: String, type: String = "event", from: String = "zhangsan", agent: String? = "<AgentID>1000002</AgentID>") -> String {
        "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[\(from)]]></FromUserName>"
            + "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[\(type)]]></MsgType>\(body)\(agent ?? "")</xml>"
    }

    @Test
    func theOfficialSampleIsATextMessageKeyedByItsMsgId() throws {
        let callback = try WeComCallback(xml: Self.w1)
        #expect(callback.corpID == "wx5823bf96d3bd56c7")
        #expect(callback.from == "mycreate")
        #expect(callback.createTime == 1409659813)
        #expect(callback.agentID == 218)
        #expect(callback.kind == .message(id: "4561255354251345929", .text(content: "hello")))
        #expect(callback.dedupeKey == "wx5823bf96d3bd56c7|218|msg|4561255354251345929")
    }

    @Test
    func unmodelledSystemEventsInOneSecondKeepApartAndARetryKeepsItsKey() throws {
        let chat = { (id: String) in
            Self.callback("<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[\(id)]]></ChatId><ChangeType><![CDATA[update]]></ChangeType>", from: "sys", agent: nil)
        }
        let first = try WeComCallback(xml: chat("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA"))
        #expect(try WeComCallback(xml: chat("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA")).dedupeKey == first.dedupeKey)
        #expect(try WeComCallback(xml: chat("wrOgQhDgAAMYQiS5ol9G7gK9JVBBBB")).dedupeKey != first.dedupeKey)
        let batch = { (job: String) in
            Self.callback("<Event><![CDATA[batch_job_result]]></Event><BatchJob><JobId><![CDATA[\(job)]]></JobId><JobType><![CDATA[sync_user]]></JobType></BatchJob>", from: "sys", agent: nil)
        }
        #expect(try WeComCallback(xml: batch("job1")).dedupeKey != WeComCallback(xml: batch("job2")).dedupeKey)
    }

    @Test
    func aDocumentTypeDeclarationIsRefusedBeforeParsing() throws {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + Self.callback("<Content>&b;</Content><MsgId>1</MsgId>", type: "text")
        #expect(throws: WeComCallbackError.self) { try WeComCallback(xml: bomb) }
        let external = "<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + Self.callback("<Content>&x;</Content><MsgId>1</MsgId>", type: "text")
        #expect(throws: WeComCallbackError.self) { try WeComCallback(xml: external) }
        // A message may say anything inside the root.
        let text = try WeComCallback(xml: Self.callback("<Content><![CDATA[<!DOCTYPE html>]]></Content><MsgId>2</MsgId>", type: "text"))
        #expect(text.kind == .message(id: "2", .text(content: "<!DOCTYPE html>")))
    }

    @Test
    func plainTextAndCDATAReadTheSame() throws {
        let plain = try WeComCallback(xml: "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>")
        #expect(plain.kind == .message(id: "1456453720", .text(content: "你好")))
        let content = try WeComCallback(xml: Self.callback("<Content><![CDATA[a < b & \"c\"]]></Content><MsgId>1</MsgId>", type: "text"))
        #expect(content.kind == .message(id: "1", .text(content: "a < b & \"c\"")))
    }

    static let messages: [(String, String, WeComIncomingMessage)] = [
        ("image", "<PicUrl><![CDATA[https://p.example/1.png]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>", .image(pictureURL: "https://p.example/1.png", mediaID: "m1")),
        ("voice", "<MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format>", .voice(mediaID: "m2", format: "amr")),
        ("video", "<MediaId><![CDATA[m3]]></MediaId><ThumbMediaId><![CDATA[t3]]></ThumbMediaId>", .video(mediaID: "m3", thumbMediaID: "t3")),
        ("file", "<MediaId><![CDATA[m4]]></MediaId>", .file(mediaID: "m4")),
        ("location", "<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[广州]]></Label><AppType><![CDATA[wxwork]]></AppType>",
         .location(latitude: "23.134521", longitude: "113.358803", scale: "20", label: "广州")),
        ("link", "<Title><![CDATA[T]]></Title><Description><![CDATA[D]]></Description><Url><![CDATA[https://e.example]]></Url><PicUrl><![CDATA[https://e.example/p]]></PicUrl>",
         .link(title: "T", description: "D", url: "https://e.example", pictureURL: "https://e.example/p")),
    ]

    @Test(arguments: messages.indices)
    func everyMessageTypeIsTyped(_ index: Int) throws {
        let (type, body, expected) = Self.messages[index]
        let callback = try WeComCallback(xml: Self.callback(body + "<MsgId>99\(index)</MsgId>", type: type))
        #expect(callback.kind == .message(id: "99\(index)", expected))
        #expect(callback.messageType == type)
    }

    @Test
    func anUnknownMessageTypeKeepsItsFields() throws {
        let callback = try WeComCallback(xml: Self.callback("<MediaId>m</MediaId><MsgId>5</MsgId>", type: "shortvideo"))
        guard case .message(_, .other(let type, let fields)) = callback.kind else { Issue.record("not other"); return }
        #expect(type == "shortvideo")
        #expect(fields["MediaId"] == "m")
    }

    static let events: [(String, WeComEvent)] = [
        ("<Event><![CDATA[subscribe]]></Event>", .subscribe),
        ("<Event><![CDATA[unsubscribe]]></Event>", .unsubscribe),
        ("<Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey>", .enterAgent(eventKey: "")),
        ("<Event><![CDATA[click]]></Event><EventKey><![CDATA[#sendmsg#_0_0]]></EventKey>", .click(key: "#sendmsg#_0_0")),
        ("<Event><![CDATA[view]]></Event><EventKey><![CDATA[https://e.example/menu]]></EventKey>", .view(url: "https://e.example/menu")),
        ("<Event><![CDATA[LOCATION]]></Event><Latitude>23.104</Latitude><Longitude>113.320</Longitude><Precision>65.000</Precision>",
         .location(latitude: "23.104", longitude: "113.320", precision: "65.000")),
        ("<Event><![CDATA[change_contact]]></Event><ChangeType>delete_user</ChangeType><UserID><![CDATA[lisi]]></UserID>",
         .changeContact(.deleteUser(userID: "lisi"))),
        ("<Event><![CDATA[change_contact]]></Event><ChangeType>create_user</ChangeType><UserID><![CDATA[wangwu]]></UserID><Department><![CDATA[1,2]]></Department>",
         .changeContact(.createUser(userID: "wangwu", attributes: ["Department": "1,2"]))),
        ("<Event><![CDATA[change_contact]]></Event><ChangeType>update_user</ChangeType><UserID><![CDATA[wangwu]]></UserID><NewUserID><![CDATA[wangwu2]]></NewUserID><Name><![CDATA[王五]]></Name>",
         .changeContact(.updateUser(userID: "wangwu", newUserID: "wangwu2", attributes: ["Name": "王五"]))),
        ("<Event><![CDATA[change_contact]]></Event><ChangeType>create_party</ChangeType><Id>2</Id><Name><![CDATA[研发]]></Name><ParentId><![CDATA[1]]></ParentId><Order>1</Order>",
         .changeContact(.createParty(id: "2", parentID: "1", attributes: ["Name": "研发", "Order": "1"]))),
        ("<Event><![CDATA[change_contact]]></Event><ChangeType>update_party</ChangeType><Id>2</Id><ParentId><![CDATA[3]]></ParentId>",
         .changeContact(.updateParty(id: "2", parentID: "3", attributes: [:]))),
        ("<Event><![CDATA[change_contact]]></Event><ChangeType>delete_party</ChangeType><Id>2</Id>", .changeContact(.deleteParty(id: "2"))),
        ("<Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[update_tag]]></ChangeType><TagId>1</TagId><AddUserItems><![CDATA[a,b]]></AddUserItems><DelUserItems><![CDATA[c]]></DelUserItems><AddPartyItems><![CDATA[]]></AddPartyItems><DelPartyItems><![CDATA[4]]></DelPartyItems>",
         .changeContact(.updateTag(tagID: "1", addedUsers: ["a", "b"], removedUsers: ["c"], addedParties: [], removedParties: ["4"]))),
    ]

    @Test(arguments: events.indices)
    func everyModelledEventIsTyped(_ index: Int) throws {
        let (body, expected) = Self.events[index]
        let callback = try WeComCallback(xml: Self.callback(body))
        #expect(callback.kind == .event(expected))
    }

    @Test
    func externalContactAndTemplateCardEventsCarryTheirDetails() throws {
        let external = try WeComCallback(xml: Self.callback(
            "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[wmEx]]></ExternalUserID><State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOME]]></WelcomeCode>",
            from: "sys", agent: nil))
        guard case .event(.changeExternalContact(let change)) = external.kind else { Issue.record("not external"); return }
        #expect(change.changeType == "add_external_contact")
        #expect(change.userID == "zhangsan")
        #expect(change.externalUserID == "wmEx")
        #expect(change.state == "teststate")
        #expect(change.welcomeCode == "WELCOME")
        #expect(external.agentID == nil)

        let card = try WeComCallback(xml: Self.callback(
            "<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[key111]]></EventKey><TaskId><![CDATA[taskid111]]></TaskId><CardType><![CDATA[vote_interaction]]></CardType><ResponseCode><![CDATA[rc]]></ResponseCode>"
                + "<SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey><OptionIds><OptionId><![CDATA[o1]]></OptionId><OptionId><![CDATA[o2]]></OptionId></OptionIds></SelectedItem>"
                + "<SelectedItem><QuestionKey><![CDATA[q2]]></QuestionKey><OptionIds><OptionId><![CDATA[o3]]></OptionId></OptionIds></SelectedItem></SelectedItems>"))
        guard case .event(.templateCard(let event)) = card.kind else { Issue.record("not a card event"); return }
        #expect(event.eventKey == "key111")
        #expect(event.taskID == "taskid111")
        #expect(event.cardType == "vote_interaction")
        #expect(event.responseCode == "rc")
        #expect(event.selections == [.init(questionKey: "q1", optionIDs: ["o1", "o2"]), .init(questionKey: "q2", optionIDs: ["o3"])])
    }

    @Test
    func anUnknownEventKeepsEveryFieldNestedOnesByPath() throws {
        let callback = try WeComCallback(xml: Self.callback(
            "<Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[k]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>"
                + "<List><Item>a</Item><Item>b</Item></List>"))
        guard case .event(.other(let type, let fields)) = callback.kind else { Issue.record("not other"); return }
        #expect(type == "scancode_push")
        #expect(fields["EventKey"] == "k")
        #expect(fields["ScanCodeInfo.ScanType"] == "qrcode")
        #expect(fields["ScanCodeInfo.ScanResult"] == "1")
        #expect(fields["List.Item"] == "a")
        #expect(fields["List.Item#2"] == "b")
    }

    @Test
    func eventsAreKeyedBySenderTimeAndWhatTheyAreAbout() throws {
        let deleteLisi = Self.callback("<Event>change_contact</Event><ChangeType>delete_user</ChangeType><UserID>lisi</UserID>", from: "sys", agent: nil)
        let deleteWangwu = Self.callback("<Event>change_contact</Event><ChangeType>delete_user</ChangeType><UserID>wangwu</UserID>", from: "sys", agent: nil)
        let first = try WeComCallback(xml: deleteLisi)
        #expect(first.dedupeKey == "wwcorp||event|sys|1700000000|event|Event=change_contact|ChangeType=delete_user|UserID=lisi")
        // A retry is the same callback again; another change in the same second is not.
        #expect(try WeComCallback(xml: deleteLisi).dedupeKey == first.dedupeKey)
        #expect(try WeComCallback(xml: deleteWangwu).dedupeKey != first.dedupeKey)
        let subscribe = try WeComCallback(xml: Self.callback("<Event>subscribe</Event>"))
        #expect(subscribe.dedupeKey == "wwcorp|1000002|event|zhangsan|1700000000|event|Event=subscribe")
        let withoutID = try WeComCallback(xml: Self.callback("<Content>x</Content>", type: "text"))
        #expect(withoutID.kind == .message(id: nil, .text(content: "x")))
        #expect(withoutID.dedupeKey == "wwcorp|1000002|event|zhangsan|1700000000|text")
    }

    @Test(arguments: ["", "not xml at all", "<xml>", "<xml><a></b></xml>", "<root><MsgType>text</MsgType></root>", "<xml/><xml/>", "<xml><![CDATA[x</xml>"])
    func textThatIsNotOneXMLRootIsMalformed(_ text: String) {
        #expect(throws: WeComCallbackError(.malformedXML)) { try WeComCallback(xml: text) }
    }

    @Test
    func aCallbackWithoutItsCommonElementsNamesTheMissingOne() {
        #expect(throws: WeComCallbackError(.missingField, field: "ToUserName")) { try WeComCallback(xml: "<xml></xml>") }
        #expect(throws: WeComCallbackError(.missingField, field: "CreateTime")) {
            try WeComCallback(xml: "<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><MsgType>text</MsgType><CreateTime>soon</CreateTime></xml>")
        }
    }
}
