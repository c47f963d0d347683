import YizhanStorage
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOSSL
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database?sslmode=…&search_path=…` URL.
///
/// `sslmode` follows libpq: `disable`, `prefer` (the default), `require` (encrypted, certificate not
/// checked) and `verify-full`. `search_path` sets the schema Yizhan's tables live in.
package struct PostgresURL: Sendable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String?
    package var sslMode: String
    package var searchPath: String?

    /// Parses a URL; the error never repeats the URL, which may hold a password.
    package init(_ string: String) throws {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw DatabaseError(.invalidURL, "The database URL must look like postgres://user:password@host:port/database.")
        }
        guard let host = components.host, !host.isEmpty else {
            throw DatabaseError(.invalidURL, "The database URL has no host.")
        }
        guard let user = components.user, !user.isEmpty else {
            throw DatabaseError(.invalidURL, "The database URL has no user name.")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user
        self.password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? nil : path
        let query = components.queryItems ?? []
        self.sslMode = query.first { $0.name == "sslmode" }?.value ?? "prefer"
        self.searchPath = query.first { $0.name == "search_path" }?.value
        guard ["disable", "prefer", "require", "verify-full"].contains(sslMode) else {
            throw DatabaseError(.invalidURL, "Unknown sslmode '\(sslMode)'; use disable, prefer, require or verify-full.")
        }
    }

    /// The URL with the password replaced by `***`, safe to log.
    package var description: String {
        let credentials = password == nil ? username : "\(username):***"
        var text = "postgres://\(credentials)@\(host):\(port)/\(database ?? "")"
        var query: [String] = []
        if sslMode != "prefer" { query.append("sslmode=\(sslMode)") }
        if let searchPath { query.append("search_path=\(searchPath)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// The client configuration for this URL.
    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        if let searchPath {
            configuration.options.additionalStartupParameters.append(("search_path", searchPath))
        }
        return configuration
    }

    /// The configuration of one direct connection outside the pool (used to learn why the pool
    /// cannot connect).
    func connectionConfiguration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        if let settings = tlsSettings {
            let context = try NIOSSLContext(configuration: settings)
            tls = tlsRequired ? .require(context) : .prefer(context)
        } else {
            tls = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .init(connectTimeout)
        if let searchPath {
            configuration.options.additionalStartupParameters.append(("search_path", searchPath))
        }
        return configuration
    }

    private var tls: PostgresClient.Configuration.TLS {
        guard let settings = tlsSettings else { return .disable }
        return tlsRequired ? .require(settings) : .prefer(settings)
    }

    /// The TLS settings `sslmode` asks for, or `nil` when TLS is off. Like libpq, only
    /// `verify-full` checks the certificate.
    private var tlsSettings: TLSConfiguration? {
        guard sslMode != "disable" else { return nil }
        var settings = TLSConfiguration.makeClientConfiguration()
        if sslMode != "verify-full" { settings.certificateVerification = .none }
        return settings
    }

    /// Whether the connection must be encrypted (`require`, `verify-full`) rather than preferably.
    private var tlsRequired: Bool { sslMode == "require" || sslMode == "verify-full" }
}

extension PostgresURL {
    /// The URL as a string, password included: for handing to a client, never for logs.
    package var connectionString: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.host = host
        components.port = port
        components.user = username
        components.password = password
        components.path = "/" + (database ?? "")
        var query = [URLQueryItem(name: "sslmode", value: sslMode)]
        if let searchPath { query.append(URLQueryItem(name: "search_path", value: searchPath)) }
        components.queryItems = query
        return components.string ?? ""
    }
}
