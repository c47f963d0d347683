import Foundation
import Synchronization

/// Faults injected per provider and app with `POST /_sandbox/faults`.
final class SandboxFaults: Sendable {
    /// One fault and its settings.
    enum Fault: Sendable, Equatable {
        /// This share of calls (0…1) fails as "system busy": WeCom's errcode -1 with HTTP 200,
        /// HTTP 500 elsewhere.
        case errorRate(Double)
        /// Every call is delayed this long.
        case latency(milliseconds: Int)
        /// Calls get no answer (the sandbox holds them for up to two minutes).
        case timeout
        /// The next `remaining` calls answer this code with this HTTP status.
        case forceError(code: Int, status: Int, remaining: Int)
        /// The next `remaining` sends are done (the message is recorded and delivered) and then
        /// their answer is lost: the connection closes before an answer body.
        case dropResponse(remaining: Int)
        /// The next `remaining` pushed events or callbacks are delivered twice.
        case duplicateDelivery(remaining: Int)
        /// The next `remaining` pushed events or callbacks are held back and delivered after the
        /// app's following push.
        case outOfOrder(remaining: Int)
    }

    /// What a call meets.
    enum Action: Sendable, Equatable {
        case proceed
        case delay(milliseconds: Int)
        case hang
        case fail(status: Int, code: Int)
        /// Do the call, then lose its answer.
        case dropAnswer
    }

    private let faults = Mutex<[String: [Fault]]>([:])

    func add(_ fault: Fault, provider: String, appID: String) {
        faults.withLock { $0["\(provider)|\(appID)", default: []].append(fault) }
    }

    func clear() { faults.withLock { $0.removeAll() } }

    /// Whether calls of this app are still to get no answer (a hung call polls this to end early
    /// when the fault is cleared).
    func isHanging(provider: String, appID: String) -> Bool {
        faults.withLock { $0["\(provider)|\(appID)"]?.contains(.timeout) ?? false }
    }

    /// What the next push of `provider`/`appID` meets; consumes one use of each delivery fault it meets.
    func pushFaults(provider: String, appID: String) -> CallbackDeliveries.PushFaults {
        faults.withLock { all -> CallbackDeliveries.PushFaults in
            let key = "\(provider)|\(appID)"
            guard var list = all[key] else { return .init() }
            var push = CallbackDeliveries.PushFaults()
            for (index, fault) in list.enumerated() {
                switch fault {
                case .duplicateDelivery(let remaining) where remaining > 0 && !push.duplicate:
                    push.duplicate = true
                    list[index] = .duplicateDelivery(remaining: remaining - 1)
                case .outOfOrder(let remaining) where remaining > 0 && !push.hold:
                    push.hold = true
                    list[index] = .outOfOrder(remaining: remaining - 1)
                default:
                    break
                }
            }
            all[key] = list
            return push
        }
    }

    /// The actions for one call, in order (delays first, then at most one failure, hang or lost
    /// answer); consumes one use of a `forceError`, and of a `dropResponse` when the call `sends`
    /// a message (token fetches and reads are not what that fault is about).
    func actions(provider: String, appID: String, sends: Bool = false) -> [Action] {
        faults.withLock { all -> [Action] in
            let key = "\(provider)|\(appID)"
            guard var list = all[key], !list.isEmpty else { return [] }
            var actions: [Action] = []
            var outcome: Action?
            for (index, fault) in list.enumerated() {
                switch fault {
                case .latency(let milliseconds):
                    actions.append(.delay(milliseconds: milliseconds))
                case .timeout where outcome == nil:
                    outcome = .hang
                case .errorRate(let share) where outcome == nil && Double.random(in: 0..<1) < share:
                    // WeCom answers its "system busy" -1 with HTTP 200, as it does every errcode.
                    outcome = .fail(status: provider == "wecom" ? 200 : 500, code: -1)
                case .forceError(let code, let status, let remaining) where outcome == nil && remaining > 0:
                    outcome = .fail(status: status, code: code)
                    list[index] = .forceError(code: code, status: status, remaining: remaining - 1)
                case .dropResponse(let remaining) where outcome == nil && sends && remaining > 0:
                    outcome = .dropAnswer
                    list[index] = .dropResponse(remaining: remaining - 1)
                default:
                    break
                }
            }
            all[key] = list
            if let outcome { actions.append(outcome) }
            return actions
        }
    }
}
