extension Substring {
    /// Without leading and trailing spaces and tabs, or `nil` when nothing else is left. Works on the
    /// UTF-8 bytes: Foundation's `trimmingCharacters` bridges through `NSString`, which showed in
    /// the profile of every authenticated request.
    func trimmingSpacesAndTabs() -> String? {
        let bytes = utf8
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
            return nil
        }
        return String(Substring(bytes[first...last]))
    }
}
