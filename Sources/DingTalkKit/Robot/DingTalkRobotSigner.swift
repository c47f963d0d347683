import Crypto
import ProviderKitSupport

/// Signs DingTalk custom robot webhooks.
///
/// `sign` = Base64(HMAC-SHA256(key: secret, message: "timestamp\nsecret")), timestamp in
/// milliseconds, sent URL-encoded as `&timestamp=…&sign=…`.
public enum DingTalkRobotSigner {
    /// The Base64 signature (not yet URL-encoded).
    public static func sign(timestamp: Int64, secret: String) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp)\n\(secret)".utf8), using: key)
        return Base64.encode(mac.withUnsafeBytes { Array($0) })
    }

    /// The query items to append to the webhook URL: `timestamp` and the URL-encoded `sign`.
    public static func queryItems(timestamp: Int64, secret: String) -> String {
        "timestamp=\(timestamp)&sign=\(urlEncoded(sign(timestamp: timestamp, secret: secret)))"
    }

    /// Percent-encodes everything but unreserved characters (`+`, `/` and `=` included), like
    /// Python's `quote_plus` for Base64 text.
    static func urlEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Bytes.hex([byte]).uppercased()
                out += "%" + hex
            }
        }
        return out
    }
}
