import Foundation

/// The package's executables, as the build left them beside the test bundle.
package enum BuiltProduct {
    /// The executable `name` (`yizhan`, `yizhan-jobs-probe`) of the build the running tests come
    /// from. A test target that runs one lists its target as a dependency, so it is never stale.
    package static func executable(_ name: String) -> URL {
        var directory = Bundle.main.bundleURL
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: name)
    }
}
