/// Which of a robot's security settings refused a send. DingTalk answers all three with errcode
/// 310000 and tells them apart only in `errmsg` (community-reported wording, old English and
/// newer Chinese; UNCERTAIN that it stays so).
///
/// Each is ``ProviderErrorCategory/permanent``, and each is about the robot's configuration, not
/// a passing state, so sending again as it is never helps. How far the refusal reaches differs:
/// a wrong signature or an address outside the allowlist fails every message to the robot from
/// this host until the secret, the allowlist or the host changes, so a pipeline should hold the
/// robot, not only fail the message; a missing keyword fails this message, and another that
/// contains one of the robot's keywords goes through.
public enum DingTalkSecuritySetting: Sendable, Equatable {
    /// "sign not match": the `sign` is wrong or the timestamp is missing or not within an hour.
    case signature
    /// "ip … not in whitelist": the request came from an address the robot does not allow.
    case ipAllowlist
    /// "keywords not in content": the message contains none of the robot's custom keywords.
    case keywords

    /// Whether every message to the robot from this host fails the same way (signature and IP
    /// allowlist), rather than only this message (keywords).
    public var refusesEveryMessage: Bool { self != .keywords }

    /// The setting a 310000's `errmsg` names, or nil when it names none of them.
    init?(errmsg: String) {
        let text = errmsg.lowercased()
        if text.contains("keywords not in content") || text.contains("关键词") {
            self = .keywords
        } else if text.contains("whitelist") || text.contains("白名单") {
            self = .ipAllowlist
        } else if text.contains("sign") || text.contains("签名") || text.contains("timestamp") || text.contains("时间戳") {
            // "invalid timestamp": the signing host's clock is off, which fails every message alike.
            self = .signature
        } else {
            return nil
        }
    }
}
