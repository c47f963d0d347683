/// A snapshot of a connection pool.
public struct PoolStatistics: Sendable, Equatable {
    /// Connections leased right now.
    public var inUse: Int
    /// Connections (or lease slots) free right now.
    public var idle: Int
    /// Callers waiting for a connection.
    public var waiting: Int
    /// The pool's upper bound.
    public var maximum: Int

    public init(inUse: Int, idle: Int, waiting: Int, maximum: Int) {
        self.inUse = inUse
        self.idle = idle
        self.waiting = waiting
        self.maximum = maximum
    }
}
