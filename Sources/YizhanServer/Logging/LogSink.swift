import Foundation
import Synchronization

/// Where log lines go. Lines are buffered and written in batches (when 64 KiB gather, every
/// 200 ms, at once for `error` and above, and on ``flush()``), so a busy server does not pay one
/// `write(2)` per request. Lines are never reordered or interleaved.
public final class LogSink: Sendable {
    private let output: @Sendable (UnsafeRawBufferPointer) -> Void
    private let bufferLimit: Int
    private let buffer = Mutex<[UInt8]>([])

    /// A sink that hands batches of complete lines to `output`.
    /// - Parameter bufferLimit: bytes gathered before a write; 0 writes every line at once.
    public init(bufferLimit: Int = 0, output: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.bufferLimit = bufferLimit
        self.output = output
    }

    /// Standard output, buffered, flushed every 200 ms by a background thread.
    public static let standardOutput: LogSink = {
        let sink = LogSink(bufferLimit: 64 * 1024) { bytes in
            var remaining = bytes
            while !remaining.isEmpty {
                let written = Foundation.write(1, remaining.baseAddress, remaining.count)
                if written <= 0 { return }
                remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
            }
        }
        Thread.detachNewThread {
            while true {
                Thread.sleep(forTimeInterval: 0.2)
                sink.flush()
            }
        }
        return sink
    }()

    /// Adds one line (newline included); writes now if `urgent` or the buffer is full.
    func emit(_ line: [UInt8], urgent: Bool) {
        buffer.withLock { buffer in
            buffer.append(contentsOf: line)
            if urgent || buffer.count >= bufferLimit { write(&buffer) }
        }
    }

    /// Writes whatever is buffered.
    public func flush() {
        buffer.withLock { write(&$0) }
    }

    private func write(_ buffer: inout [UInt8]) {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { output($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
