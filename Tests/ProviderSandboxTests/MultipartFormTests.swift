import Foundation
@testable import ProviderKitSupport
@testable import ProviderSandbox
import Testing
import YizhanTesting

/// The kits' multipart builder and the sandbox's parser agree, whatever the bytes.
struct MultipartFormTests {
    @Test(arguments: 0..<200)
    func whatTheKitsBuildTheSandboxReadsBack(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed))
        // Bytes that look like delimiters and line breaks are the dangerous ones.
        let alphabet: [UInt8] = Array("-\r\n=;\"ab".utf8) + [0, 0xFF]
        let length = Int(generator.next() % 600)
        let content = Data((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        var body = MultipartBody()
        body.addField("type", "file")
        body.addFile("media", filename: "报告 \"v2\".csv", content: content, includeLength: true)
        let form = try #require(MultipartForm(body: body.body, contentType: body.contentType))
        #expect(form.field("type") == "file")
        #expect(form.part("media")?.data == content)
        #expect(form.part("media")?.filename == "报告 %22v2%22.csv")
    }

    @Test(arguments: [
        "", "--b\r\n", "--b--", "no delimiter at all", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
    ])
    func malformedBodiesAreRefusedNotCrashedOn(body: String) {
        let form = MultipartForm(body: Data(body.utf8), contentType: "multipart/form-data; boundary=b")
        #expect(form == nil || form?.parts.isEmpty == true)
    }

    @Test
    func aBodyThatIsNotMultipartIsNil() {
        #expect(MultipartForm(body: Data("{}".utf8), contentType: "application/json") == nil)
        #expect(MultipartForm(body: Data(), contentType: "multipart/form-data") == nil)
    }
}
