import Foundation
import ProviderKitSupport

/// What an uploaded file is (`file_type`).
public enum LarkFileType: String, Sendable {
    case opus, mp4, pdf, doc, xls, ppt
    /// Any other file.
    case stream
}

extension LarkClient {
    /// Lark's upload limits: images 10 MB, files 30 MB.
    public static let maximumImageBytes = 10 << 20
    public static let maximumFileBytes = 30 << 20

    /// `POST /open-apis/im/v1/images`: uploads an image to send (`forAvatar` false) or to use as an
    /// avatar; returns its `image_key` for ``LarkMessageContent/image(imageKey:)``.
    public func uploadImage(_ data: Data, forAvatar: Bool = false) async throws(LarkError) -> String {
        guard !data.isEmpty, data.count <= Self.maximumImageBytes else {
            throw LarkError(category: .permanent, code: 0, message: "an image is 1 byte to \(Self.maximumImageBytes) bytes")
        }
        var form = MultipartBody()
        form.addField("image_type", forAvatar ? "avatar" : "message")
        form.addFile("image", filename: "image", content: data)
        struct Answer: Decodable { var image_key: String }
        return try await authorized(path: "/open-apis/im/v1/images", body: .multipart(form), idempotent: true, as: Answer.self).image_key
    }

    /// `POST /open-apis/im/v1/files`: uploads a file (not empty, at most 30 MB) named `name` (with
    /// its extension); returns its `file_key` for ``LarkMessageContent/file(fileKey:)``.
    /// `durationMilliseconds` is for audio and video.
    public func uploadFile(_ data: Data, name: String, type: LarkFileType = .stream, durationMilliseconds: Int? = nil) async throws(LarkError) -> String {
        guard !data.isEmpty, data.count <= Self.maximumFileBytes else {
            throw LarkError(category: .permanent, code: 0, message: "a file is 1 byte to \(Self.maximumFileBytes) bytes")
        }
        var form = MultipartBody()
        form.addField("file_type", type.rawValue)
        form.addField("file_name", name)
        if let durationMilliseconds { form.addField("duration", String(durationMilliseconds)) }
        form.addFile("file", filename: name, content: data)
        struct Answer: Decodable { var file_key: String }
        return try await authorized(path: "/open-apis/im/v1/files", body: .multipart(form), idempotent: true, as: Answer.self).file_key
    }
}
