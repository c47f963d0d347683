import Foundation
import NIOHTTP1
import ProviderKitSupport

/// The kinds of temporary media WeCom takes, with their size limits.
public enum WeComMediaType: String, Sendable {
    /// JPG or PNG, up to 10 MB.
    case image
    /// AMR, up to 2 MB and 60 s.
    case voice
    /// MP4, up to 10 MB.
    case video
    /// Any file, up to 20 MB.
    case file

    /// The largest file WeCom accepts of this type.
    public var maximumBytes: Int {
        switch self {
        case .image, .video: 10 << 20
        case .voice: 2 << 20
        case .file: 20 << 20
        }
    }
}

/// An uploaded temporary file: its `media_id` is valid for 3 days across the corp's apps.
public struct WeComMedia: Sendable, Equatable {
    public var type: String
    public var mediaID: String
    /// Unix seconds (WeCom answers a string).
    public var createdAt: Int
}

extension WeComClient {
    /// `POST /cgi-bin/media/upload?type=`: uploads `data` (more than 5 bytes, within the type's limit)
    /// as multipart field `media`; returns the media id to send as `.image(mediaID:)` or `.file(mediaID:)`.
    public func uploadMedia(_ data: Data, filename: String, type: WeComMediaType, contentType: String = "application/octet-stream") async throws(WeComError) -> WeComMedia {
        guard data.count > 5, data.count <= type.maximumBytes else {
            throw WeComError(category: .permanent, errcode: 40006, errmsg: "a \(type.rawValue) must be 6 bytes to \(type.maximumBytes) bytes")
        }
        var form = MultipartBody()
        form.addFile("media", filename: filename, contentType: contentType, content: data, includeLength: true)
        let answer = try await authorized(
            .POST, path: "/cgi-bin/media/upload", query: "type=\(type.rawValue)", body: form.body, contentType: form.contentType, idempotent: true)
        return try Self.media(answer)
    }

    /// Reads `{type, media_id, created_at}`.
    static func media(_ answer: [String: Any]) throws(WeComError) -> WeComMedia {
        guard let mediaID = answer["media_id"] as? String else {
            throw WeComError(category: .permanent, errcode: 0, errmsg: "the answer has no media_id")
        }
        let created = (answer["created_at"] as? String).flatMap(Int.init) ?? answer["created_at"] as? Int ?? 0
        return WeComMedia(type: answer["type"] as? String ?? "", mediaID: mediaID, createdAt: created)
    }
}
