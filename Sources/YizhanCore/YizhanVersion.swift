/// The version of this Yizhan build.
public enum YizhanVersion {
    /// Semantic version, also reported by `yizhan --version`, `/api/v1/system` and `yizhan_build_info`.
    public static let current = "0.1.0"
}
