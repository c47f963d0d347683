import Dispatch
import Foundation
import Synchronization

/// Where log lines go. Lines gather in a buffer and are written in batches, so a busy server does
/// not pay one `write(2)` per request. Lines are never reordered or interleaved.
///
/// With a background writer (``standardOutput`` has one), the thread that logs never waits for
/// the output: the writer takes each batch when `bufferLimit` bytes have gathered, at its interval,
/// and on ``flush()``. Only when the output has stalled and `maxBuffered` bytes wait does a caller
/// write itself and so wait, which bounds the memory a stalled reader can cost. Lines at `error`
/// and above are written at once, by the caller, after everything before them.
public final class LogSink: Sendable {
    private let output: @Sendable (UnsafeRawBufferPointer) -> Void
    private let bufferLimit: Int
    private let maxBuffered: Int
    private let writer: DispatchSemaphore?
    /// Lines not yet taken for writing.
    private let pending = Mutex<[UInt8]>([])
    /// Held for the whole of each write, so batches leave in the order they were taken. It keeps
    /// the buffer being written, swapped with `pending` so that both keep their capacity.
    private let writing = Mutex<[UInt8]>([])

    /// A sink that hands batches of complete lines to `output`.
    /// - Parameters:
    ///   - bufferLimit: bytes gathered before a batch is written; 0, without a background writer,
    ///     writes every line at once.
    ///   - writeInterval: when set, a background thread writes the batches (when `bufferLimit` is
    ///     reached and at this interval) instead of the thread that logs.
    ///   - maxBuffered: with a background writer, the bytes that may wait for a stalled output
    ///     before the thread that logs writes them itself.
    public init(
        bufferLimit: Int = 0,
        writeInterval: Duration? = nil,
        maxBuffered: Int = 4 << 20,
        output: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
    ) {
        self.bufferLimit = bufferLimit
        self.maxBuffered = max(maxBuffered, bufferLimit)
        self.output = output
        guard let writeInterval else {
            self.writer = nil
            return
        }
        let wake = DispatchSemaphore(value: 0)
        self.writer = wake
        let milliseconds = Int(writeInterval / .milliseconds(1))
        Thread.detachNewThread { [weak self] in
            while true {
                _ = wake.wait(timeout: .now() + .milliseconds(max(milliseconds, 1)))
                guard let sink = self else { return }
                sink.flush()
            }
        }
    }

    /// Standard output, in batches of 64 KiB written by a background thread at least every 200 ms.
    public static let standardOutput = LogSink(bufferLimit: 64 * 1024, writeInterval: .milliseconds(200)) { bytes in
        var remaining = bytes
        while !remaining.isEmpty {
            let written = Foundation.write(1, remaining.baseAddress, remaining.count)
            if written <= 0 { return }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
        }
    }

    /// Adds one line (newline included). It is written now, by this thread, if `urgent`, if the
    /// buffer is full and there is no background writer, or if `maxBuffered` bytes are waiting;
    /// a full buffer otherwise wakes the background writer.
    func emit(_ line: [UInt8], urgent: Bool) {
        let (before, after) = pending.withLock { buffer in
            let before = buffer.count
            buffer.append(contentsOf: line)
            return (before, buffer.count)
        }
        if urgent || after >= (writer == nil ? bufferLimit : maxBuffered) {
            flush()
        } else if let writer, before < bufferLimit, after >= bufferLimit {
            writer.signal()
        }
    }

    /// Writes whatever is buffered, after any batch already being written.
    public func flush() {
        writing.withLock { batch in
            pending.withLock { swap(&$0, &batch) }
            guard !batch.isEmpty else { return }
            batch.withUnsafeBytes { output($0) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
