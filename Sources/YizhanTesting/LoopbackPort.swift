import Foundation

/// Loopback TCP ports for tests.
package enum LoopbackPort {
    /// A port that was free a moment ago (bound, then released): for a process the test starts to
    /// listen on. Another process may take it in between, as with any such pick.
    package static func free() throws -> Int {
        let (fd, port) = try bind()
        close(fd)
        return port
    }

    /// A socket bound to a free loopback port, not listening, and the port.
    static func bind() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                Foundation.bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
