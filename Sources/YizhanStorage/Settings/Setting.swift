#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One stored key-value setting.
package struct Setting: Sendable, Equatable {
    package var key: String
    package var value: String
    package var updatedAt: Date

    package init(key: String, value: String, updatedAt: Date) {
        self.key = key
        self.value = value
        self.updatedAt = updatedAt
    }
}
