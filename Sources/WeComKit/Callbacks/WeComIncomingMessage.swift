/// What a member sent the app (`MsgType` other than `event`). Media ids are valid for 3 days.
public enum WeComIncomingMessage: Sendable, Equatable {
    /// `text`: `Content`.
    case text(content: String)
    /// `image`: `PicUrl` and `MediaId`.
    case image(pictureURL: String, mediaID: String)
    /// `voice`: `MediaId` and `Format` (`amr`, `speex`, …).
    case voice(mediaID: String, format: String)
    /// `video`: `MediaId` and `ThumbMediaId`.
    case video(mediaID: String, thumbMediaID: String)
    /// `file`: `MediaId`. UNCERTAIN: WeCom's 接收消息 page lists text, image, voice, video,
    /// location and link; a file message is read as its other message types are, and any further
    /// element is in ``WeComCallback/fields``.
    case file(mediaID: String)
    /// `location`: `Location_X` (latitude), `Location_Y` (longitude), `Scale` and `Label`, as
    /// WeCom writes them (decimal text).
    case location(latitude: String, longitude: String, scale: String, label: String)
    /// `link`: `Title`, `Description`, `Url` and `PicUrl`.
    case link(title: String, description: String, url: String, pictureURL: String)
    /// Any other `MsgType`; its elements are in ``WeComCallback/fields``.
    case other(type: String, fields: [String: String])

    /// Reads the message of `type` from the callback's top-level `fields`.
    init(type: String, fields: [String: String]) {
        let field = { (name: String) in fields[name] ?? "" }
        switch type {
        case "text": self = .text(content: field("Content"))
        case "image": self = .image(pictureURL: field("PicUrl"), mediaID: field("MediaId"))
        case "voice": self = .voice(mediaID: field("MediaId"), format: field("Format"))
        case "video": self = .video(mediaID: field("MediaId"), thumbMediaID: field("ThumbMediaId"))
        case "file": self = .file(mediaID: field("MediaId"))
        case "location":
            self = .location(latitude: field("Location_X"), longitude: field("Location_Y"), scale: field("Scale"), label: field("Label"))
        case "link": self = .link(title: field("Title"), description: field("Description"), url: field("Url"), pictureURL: field("PicUrl"))
        default: self = .other(type: type, fields: fields)
        }
    }
}
