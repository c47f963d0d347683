import Dispatch
import Foundation
import Synchronization
import Testing

@testable import YizhanServer

/// The background writer of ``LogSink``: a stalled output (a slow pipe reader) holds up the threads
/// that log only once the bound is reached, and no line is lost or reordered either way.
@Suite
struct LogSinkTests {
    /// An output whose first write waits until ``release()`` (or 30 s); it keeps every batch.
    final class StalledOutput: Sendable {
        private let batches = Mutex<[[UInt8]]>([])
        private let stalled = Mutex(false)
        let entered = DispatchSemaphore(value: 0)
        private let gate = DispatchSemaphore(value: 0)

        func write(_ chunk: UnsafeRawBufferPointer) {
            if batches.withLock({ $0.isEmpty }) {
                stalled.withLock { $0 = true }
                entered.signal()
                _ = gate.wait(timeout: .now() + 30)
                stalled.withLock { $0 = false }
            }
            batches.withLock { $0.append(Array(chunk)) }
        }

        func release() { gate.signal() }
        var isStalled: Bool { stalled.withLock { $0 } }
        var bytes: [UInt8] { batches.withLock { $0.flatMap { $0 } } }
        var largestBatch: Int { batches.withLock { $0.map(\.count).max() ?? 0 } }
    }

    let lines = (0..<2000).map { Array("line \($0)\n".utf8) }

    /// A running sink whose writer takes a batch at 64 bytes and otherwise sleeps for a minute.
    func sink(_ output: StalledOutput, maxBuffered: Int) -> LogSink {
        let sink = LogSink(bufferLimit: 64, writeInterval: .seconds(60), maxBuffered: maxBuffered) { output.write($0) }
        sink.startWriter()
        return sink
    }

    @Test
    func theThreadThatLogsDoesNotWaitForAStalledOutput() {
        let output = StalledOutput()
        let sink = sink(output, maxBuffered: 1 << 20)
        for line in lines[..<10] { sink.emit(line, urgent: false) }  // 70 bytes: the writer takes them
        #expect(output.entered.wait(timeout: .now() + 30) == .success)
        for line in lines[10...] { sink.emit(line, urgent: false) }
        #expect(output.isStalled)  // the writer is still in its first write; nobody waited for it
        output.release()
        sink.stopWriter()
        #expect(output.bytes == lines.flatMap { $0 })
    }

    @Test
    func onceTheBoundIsReachedTheThreadThatLogsWaitsAndNothingIsLost() {
        let output = StalledOutput()
        let sink = sink(output, maxBuffered: 1024)
        for line in lines[..<10] { sink.emit(line, urgent: false) }
        #expect(output.entered.wait(timeout: .now() + 30) == .success)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [lines] in
            for line in lines[10...] { sink.emit(line, urgent: false) }
            finished.signal()
        }
        // The rest is 18 KiB, so the logging thread must stop at 1 KiB until the output moves.
        #expect(finished.wait(timeout: .now() + 1) == .timedOut)
        output.release()
        #expect(finished.wait(timeout: .now() + 30) == .success)
        sink.stopWriter()
        #expect(output.bytes == lines.flatMap { $0 })
        #expect(output.largestBatch < 1024 + 10)
    }

    @Test
    func errorsAreWrittenAtOnceAfterEverythingBeforeThem() {
        let output = StalledOutput()
        output.release()  // no stall
        let sink = sink(output, maxBuffered: 1 << 20)
        sink.emit(lines[0], urgent: false)
        sink.emit(lines[1], urgent: true)
        #expect(output.bytes == lines[0] + lines[1])
        sink.stopWriter()
    }

    @Test
    func asAServiceItWritesWhatIsLeftWhenItStopsAndEveryLineAtOnceOutsideItsRun() async throws {
        let output = StalledOutput()
        output.release()
        let sink = LogSink(bufferLimit: 1 << 20, writeInterval: .seconds(60)) { output.write($0) }
        sink.emit(lines[0], urgent: false)
        #expect(output.bytes == lines[0])  // not running: written by the caller
        let service = Task { try await sink.run() }
        while !sink.isWriterRunning { try await Task.sleep(for: .milliseconds(5)) }
        sink.emit(lines[1], urgent: false)
        #expect(output.bytes == lines[0])  // running: buffered for the writer
        service.cancel()  // as the service group does at shutdown
        try await service.value
        #expect(output.bytes.starts(with: lines[0] + lines[1]))
        let before = output.bytes.count
        sink.emit(lines[2], urgent: false)
        #expect(output.bytes.count == before + lines[2].count)
    }
}
