import Foundation

extension WeComSandbox {
    /// How long a temporary `media_id` lives: 3 days.
    static let mediaLifetime: TimeInterval = 3 * 24 * 3600
    /// Upload limits by type: image 10 MB, voice 2 MB, video 10 MB, file 20 MB.
    static let mediaLimits: [String: Int] = [
        "image": 10 << 20, "voice": 2 << 20, "video": 10 << 20, "file": 20 << 20,
    ]

    /// `POST /cgi-bin/media/upload?type=` (multipart field `media`): `{type, media_id, created_at}`
    /// with `created_at` a string, as WeCom answers. Every file must be over 5 bytes.
    func uploadMedia(accessToken: String?, type: String?, file: MultipartForm.Part?) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        return try storeMedia(corpID: app.corpID, type: type, file: file, allowed: Self.mediaLimits)
    }

    /// Stores an uploaded file and answers its media id.
    func storeMedia(corpID: String, type: String?, file: MultipartForm.Part?, allowed: [String: Int]) throws(WeComAPIError) -> Data {
        guard let type, let limit = allowed[type] else { throw .invalidMediaType }
        guard let file, file.name == "media" else { throw .invalidParameter }
        guard file.data.count > 5, file.data.count <= limit else { throw .invalidFileSize }
        messageCounter += 1
        let mediaID = "3" + String(messageCounter) + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let now = clock.now()
        media[mediaID] = (corpID, type, now.addingTimeInterval(Self.mediaLifetime))
        return Self.ok(["type": type, "media_id": mediaID, "created_at": String(Int(now.timeIntervalSince1970))])
    }

    /// Messages that carry a `media_id`, and each `mpnews` article's `thumb_media_id`, must name
    /// one uploaded in this corp within 3 days (40007).
    func checkMedia(corpID: String, messageType: String, body: [String: Any]) throws(WeComAPIError) {
        let object = body[messageType] as? [String: Any]
        if messageType == "mpnews" {
            for article in object?["articles"] as? [[String: Any]] ?? [] {
                try checkMedia(corpID: corpID, mediaID: article["thumb_media_id"] as? String ?? "")
            }
        }
        guard ["image", "voice", "video", "file"].contains(messageType) else { return }
        try checkMedia(corpID: corpID, mediaID: object?["media_id"] as? String ?? "")
    }

    /// `mediaID` was uploaded in this corp (or by this robot) within 3 days.
    func checkMedia(corpID: String, mediaID: String) throws(WeComAPIError) {
        guard let stored = media[mediaID], stored.corpID == corpID, stored.expiresAt > clock.now() else {
            throw .invalidMediaID
        }
    }
}
