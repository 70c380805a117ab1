import Synchronization

/// How far one phase of long local work (a capture, a gc, a checkout) has got, for whoever shows progress.
public struct WorkProgress: Sendable, Equatable {
    /// What is being done.
    public enum Phase: String, Sendable {
        case readingFiles = "Reading files"
        case writingObjects = "Writing objects"
        case countingObjects = "Counting objects"
        case writingPack = "Writing pack"
        case removingObjects = "Removing objects"
        case checkingOut = "Checking out files"
    }

    public var phase: Phase
    /// Items done so far: files read, objects counted, written or removed.
    public var done: Int
    /// How many items the phase has in all, when that is known before it starts.
    public var total: Int?
    /// Bytes read or written so far; 0 when the phase does not count bytes.
    public var bytes: Int
    /// Whether this is the phase's last report.
    public var finished: Bool

    public init(phase: Phase, done: Int, total: Int?, bytes: Int = 0, finished: Bool = false) {
        self.phase = phase
        self.done = done
        self.total = total
        self.bytes = bytes
        self.finished = finished
    }
}

/// Receives progress reports, possibly from several threads at once; it must return quickly.
public typealias ProgressHandler = @Sendable (WorkProgress) -> Void

/// Counts the items of one phase from any number of threads and reports every `stride` items, so that the work pays
/// an atomic add or two per item and the handler is called rarely.
final class ProgressCounter: Sendable {
    let phase: WorkProgress.Phase
    let total: Int?
    let stride: Int
    private let handler: ProgressHandler
    private let done = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)

    /// A counter that reports to `handler`, or nil (nothing to count) when nobody listens; reports the start at once.
    init?(_ phase: WorkProgress.Phase, total: Int?, handler: ProgressHandler?, stride: Int = 64) {
        guard let handler else { return nil }
        self.phase = phase
        self.total = total
        self.stride = max(stride, 1)
        self.handler = handler
        handler(WorkProgress(phase: phase, done: 0, total: total))
    }

    /// Counts one item of `count` bytes.
    func add(bytes count: Int = 0) {
        let sum = count == 0 ? bytes.load(ordering: .relaxed) : bytes.add(count, ordering: .relaxed).newValue
        let n = done.add(1, ordering: .relaxed).newValue
        if n % stride == 0 { handler(WorkProgress(phase: phase, done: n, total: total, bytes: sum)) }
    }

    /// Reports the phase's end with what was counted.
    func finish() {
        handler(WorkProgress(phase: phase, done: done.load(ordering: .relaxed), total: total,
                             bytes: bytes.load(ordering: .relaxed), finished: true))
    }
}
