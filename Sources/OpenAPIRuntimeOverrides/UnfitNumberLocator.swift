internal import Foundation

/// Finds where a JSON body holds a number that no integer field can take: one with a fraction, or
/// one outside the 64-bit range.
///
/// Foundation's `JSONDecoder` reports such a number as "not valid JSON", with no coding path, so the
/// caller of `{"max_apps": 1.5}` was told their JSON was broken. When decoding fails that way and the
/// body is valid JSON, this names the number's field instead.
enum UnfitNumberLocator {
    /// The path of the first such number (keys in sorted order, array positions in order), or nil
    /// if the body is not JSON or holds none.
    static func path(in body: Data) -> [any CodingKey]? {
        guard let root = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { return nil }
        return path(in: root, at: [])
    }

    private static func path(in value: Any, at path: [any CodingKey]) -> [any CodingKey]? {
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                if let found = Self.path(in: object[key]!, at: path + [CodingPathKey(key)]) { return found }
            }
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let found = Self.path(in: element, at: path + [CodingPathKey(index)]) { return found }
            }
        case let number as NSNumber:  // booleans come as 0 and 1
            if !fitsAnInteger(number.description) { return path }
        default:
            break
        }
        return nil
    }

    /// What `JSONDecoder` reads into an `Int`: a whole number within the 64-bit range, written
    /// plainly or with a fraction of zeros or an exponent (`5`, `5.0`, `1e3`).
    private static func fitsAnInteger(_ text: String) -> Bool {
        if Int(text) != nil { return true }
        guard let value = Double(text) else { return false }
        return value == value.rounded() && abs(value) < 9.2e18
    }
}
