import Foundation
import LarkKit
import Testing

/// Each content type's `msg_type` and `content` string, as Lark's create doc shapes them.
@Suite
struct LarkMessageContentTests {
    @Test
    func audioMediaAndStickerAreFileKeysWithTheirTypes() throws {
        let cases: [(LarkMessageContent, String, [String: String])] = [
            (.audio(fileKey: "file_v3_a"), "audio", ["file_key": "file_v3_a"]),
            (.media(fileKey: "file_v3_m", imageKey: "img_v3_c"), "media", ["file_key": "file_v3_m", "image_key": "img_v3_c"]),
            (.sticker(fileKey: "file_v3_s"), "sticker", ["file_key": "file_v3_s"]),
            (.file(fileKey: "file_v3_f"), "file", ["file_key": "file_v3_f"]),
        ]
        for (content, type, fields) in cases {
            #expect(content.messageType == type)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(content.contentJSON.utf8)) == fields)
        }
    }
}
