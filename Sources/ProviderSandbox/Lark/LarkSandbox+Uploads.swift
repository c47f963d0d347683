import Foundation

extension LarkSandbox {
    static let imageTypes: Set<String> = ["message", "avatar"]
    static let fileTypes: Set<String> = ["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"]

    /// `POST /open-apis/im/v1/images` (multipart `image_type`, `image` ≤ 10 MB): `{image_key}`.
    func uploadImage(appID: String, form: MultipartForm?) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .uploadImage)
        guard let form, let type = form.field("image_type"), Self.imageTypes.contains(type), let image = form.part("image") else {
            throw .uploadInvalid("image_type (message or avatar) and image are required")
        }
        guard !image.data.isEmpty else { throw .uploadEmpty }
        guard image.data.count <= 10 << 20 else { throw .uploadTooLarge }
        return store(appID: appID, prefix: "img_v3_", field: "image_key")
    }

    /// `POST /open-apis/im/v1/files` (multipart `file_type`, `file_name`, `duration?`, `file` ≤ 30 MB): `{file_key}`.
    func uploadFile(appID: String, form: MultipartForm?) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .uploadFile)
        guard let form, let type = form.field("file_type"), Self.fileTypes.contains(type),
            let name = form.field("file_name"), !name.isEmpty, let file = form.part("file")
        else { throw .uploadInvalid("file_type, file_name and file are required") }
        // lark-oapi sends every field of its body, an unset `duration` as an empty part: that is "no duration".
        if let duration = form.field("duration"), !duration.isEmpty, Int(duration) == nil {
            throw .uploadInvalid("duration is milliseconds")
        }
        guard !file.data.isEmpty else { throw .uploadEmpty }
        guard file.data.count <= 30 << 20 else { throw .uploadTooLarge }
        return store(appID: appID, prefix: "file_v3_", field: "file_key")
    }

    private func store(appID: String, prefix: String, field: String) -> Data {
        messageCounter += 1
        let key = prefix + String(messageCounter, radix: 16) + "_" + UUID().uuidString.lowercased()
        uploads[key] = appID
        return Data(#"{"code":0,"msg":"success","data":{"\#(field)":"\#(key)"}}"#.utf8)
    }

    /// Image, file, audio, media and sticker messages must name keys this app uploaded.
    func checkResources(appID: String, messageType: String, content: [String: Any]) throws(LarkAPIError) {
        let keys: [String] =
            switch messageType {
            case "image": ["image_key"]
            case "file", "audio", "sticker": ["file_key"]
            case "media": ["file_key", "image_key"]
            default: []
            }
        for key in keys {
            // UNCERTAIN: the code for an unknown resource key; the sandbox answers 230001.
            guard let value = content[key] as? String, uploads[value] == appID else {
                throw .invalidParameter("\(key) is not a resource this app uploaded")
            }
        }
    }
}
