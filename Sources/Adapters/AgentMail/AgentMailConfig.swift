import Foundation

/// Where the MCP Agent Mail server is and how to talk to it.
/// The token is sent as `Authorization: Bearer <token>` and never appears in errors or logs.
public struct AgentMailConfig: Sendable {
    /// The MCP JSON-RPC endpoint, e.g. `http://127.0.0.1:8765/mcp/` (0.1.0 serves `/mcp/`).
    public var url: URL
    /// The server's `HTTP_BEARER_TOKEN`; nil sends no Authorization header.
    public var token: String?
    /// The longest any one call may take, connection and handshake included.
    public var timeout: Duration = .seconds(15)

    public init(url: URL, token: String?) {
        self.url = url
        self.token = token
    }
}

/// One advisory reservation the server granted (`file_reservation_paths` → `granted[]`).
public struct Reservation: Sendable, Equatable {
    public let id: Int?
    public let pathPattern: String
    public let exclusive: Bool
    /// ISO-8601 expiry as the server wrote it (`expires_ts`).
    public let expires: String?

    public init(id: Int?, pathPattern: String, exclusive: Bool, expires: String?) {
        self.id = id
        self.pathPattern = pathPattern
        self.exclusive = exclusive
        self.expires = expires
    }
}

/// A requested path that overlaps active reservations of other agents.
public struct ReservationConflict: Sendable, Equatable {
    /// The path or glob as requested.
    public let path: String
    /// The agent names holding overlapping reservations.
    public let holders: [String]

    public init(path: String, holders: [String]) {
        self.path = path
        self.holders = holders
    }
}

/// The answer to `reserve`. Reservations are advisory: the server grants every path even when
/// it reports conflicts, so callers must look at `conflicts`.
public struct ReservationResult: Sendable {
    public let granted: [Reservation]
    public let conflicts: [ReservationConflict]

    public init(granted: [Reservation], conflicts: [ReservationConflict]) {
        self.granted = granted
        self.conflicts = conflicts
    }
}

/// A registered agent: the name the server uses and, from servers that issue one (Python 0.3,
/// Rust), the token proving it is this agent. The token is a secret: never printed or logged.
public struct AgentIdentity: Sendable, Codable, Equatable {
    public let name: String
    public let token: String?

    public init(name: String, token: String?) {
        self.name = name
        self.token = token
    }
}
