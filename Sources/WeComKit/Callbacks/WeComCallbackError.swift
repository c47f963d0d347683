/// Why a decrypted WeCom callback could not be read. Never carries the callback's text: it may
/// hold a member's message or personal details.
public struct WeComCallbackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Name: String {
            case malformedXML, missingField
        }
        private let name: Name
        private init(_ name: Name) { self.name = name }

        /// Not well-formed XML, or its root is not one `<xml>` element.
        public static let malformedXML = Code(.malformedXML)
        /// An element every callback has (`ToUserName`, `FromUserName`, `CreateTime`, `MsgType`)
        /// is missing, or `CreateTime` is not a number.
        public static let missingField = Code(.missingField)

        public var description: String { name.rawValue }
    }

    /// What was wrong.
    public let code: Code
    /// The element that was missing or unreadable, for ``Code/missingField``.
    public let field: String?

    /// - Parameters:
    ///   - code: What was wrong.
    ///   - field: The element that was missing or unreadable.
    public init(_ code: Code, field: String? = nil) {
        self.code = code
        self.field = field
    }

    public var description: String { "WeComCallbackError(\(code)\(field.map { ", field: \($0)" } ?? ""))" }
}
