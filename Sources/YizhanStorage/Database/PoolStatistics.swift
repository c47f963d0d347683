/// A snapshot of a connection pool.
package struct PoolStatistics: Sendable, Equatable {
    /// Connections leased right now.
    package var inUse: Int
    /// Connections (or lease slots) free right now.
    package var idle: Int
    /// Callers waiting for a connection.
    package var waiting: Int
    /// The pool's upper bound.
    package var maximum: Int

    package init(inUse: Int, idle: Int, waiting: Int, maximum: Int) {
        self.inUse = inUse
        self.idle = idle
        self.waiting = waiting
        self.maximum = maximum
    }
}
