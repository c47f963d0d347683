import Dispatch
import Foundation
import ServiceLifecycle
import Synchronization

/// Where log lines go. Lines gather in a buffer and are written in batches, so a busy server does
/// not pay one `write(2)` per request. Lines are never reordered or interleaved.
///
/// With a background writer (``standardOutput`` has one), the thread that logs never waits for
/// the output: the writer takes each batch when `bufferLimit` bytes have gathered, at its interval,
/// and on ``flush()``. Only when the output has stalled and `maxBuffered` bytes wait does a caller
/// write itself and so wait, which bounds the memory a stalled reader can cost. Lines at `error`
/// and above are written at once, by the caller, after everything before them.
///
/// The writer is a ServiceLifecycle `Service`: ``run()`` starts its thread and, at graceful
/// shutdown, stops it and writes what is left. `yizhan serve` runs it first in its service group,
/// so it stops last and the other services' last lines are written. While it is not running
/// (before start, after stop, in a CLI command) every line is written at once by its caller.
package final class LogSink: Service, Sendable {
    private let output: @Sendable (UnsafeRawBufferPointer) -> Void
    private let bufferLimit: Int
    private let maxBuffered: Int
    private let writeInterval: Duration?
    /// Wakes the writer thread.
    private let wake = DispatchSemaphore(value: 0)
    /// Whether the writer thread runs, and whether it was told to stop.
    private let writer = Mutex<(running: Bool, stopped: Bool)>((false, false))
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
    package init(
        bufferLimit: Int = 0,
        writeInterval: Duration? = nil,
        maxBuffered: Int = 4 << 20,
        output: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
    ) {
        self.bufferLimit = bufferLimit
        self.maxBuffered = max(maxBuffered, bufferLimit)
        self.writeInterval = writeInterval
        self.output = output
    }

    /// Runs the background writer until graceful shutdown (or cancellation), then writes what is left.
    package func run() async throws {
        startWriter()
        try? await gracefulShutdown()
        stopWriter()
    }

    /// Starts the writer thread, if the sink has an interval and it is not running yet.
    func startWriter() {
        guard let writeInterval else { return }
        let start = writer.withLock { state -> Bool in
            guard !state.running else { return false }
            state = (true, false)
            return true
        }
        guard start else { return }
        let milliseconds = max(Int(writeInterval / .milliseconds(1)), 1)
        Thread.detachNewThread { [self] in
            while true {
                _ = wake.wait(timeout: .now() + .milliseconds(milliseconds))
                if writer.withLock({ $0.stopped }) { return }
                flush()
            }
        }
    }

    /// Whether the writer thread runs now.
    var isWriterRunning: Bool { writer.withLock { $0.running } }

    /// Stops the writer thread and writes what is left; lines after this are written at once.
    func stopWriter() {
        writer.withLock { $0 = (false, true) }
        wake.signal()
        flush()
    }

    /// Standard output, in batches of 64 KiB written by a background thread at least every 200 ms.
    package static let standardOutput = LogSink(bufferLimit: 64 * 1024, writeInterval: .milliseconds(200)) { bytes in
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
        let writing = writer.withLock { $0.running }
        if urgent || after >= (writing ? maxBuffered : bufferLimit) || (!writing && writeInterval != nil) {
            flush()
        } else if writing, before < bufferLimit, after >= bufferLimit {
            wake.signal()
        }
    }

    /// Writes whatever is buffered, after any batch already being written.
    package func flush() {
        writing.withLock { batch in
            pending.withLock { swap(&$0, &batch) }
            guard !batch.isEmpty else { return }
            batch.withUnsafeBytes { output($0) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
