import Foundation

/// Why a call to MCP Agent Mail failed. Each case names the thing, the cause and the fix;
/// no case carries the bearer token, so every message is safe to print.
public enum AgentMailError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No usable answer from the server: connection refused, host unknown, no answer within
    /// the timeout, or an HTTP error other than 401/403 (wrong path, server error).
    case unreachable(url: String, detail: String)
    /// The server answered HTTP 401 or 403: the token is missing, wrong, or lacks write access.
    case unauthorized(url: String)
    /// The tool ran and reported an error (`isError: true`, a JSON-RPC error, or an `error` object).
    case toolFailed(tool: String, message: String)
    /// The tool's answer did not have the expected shape.
    case malformed(tool: String, detail: String)

    public var message: String {
        switch self {
        case .unreachable(let url, let detail):
            "MCP Agent Mail at \(url) is unreachable: \(detail)"
        case .unauthorized(let url):
            "MCP Agent Mail at \(url) rejected the request (HTTP 401/403): the bearer token is missing, wrong, or not allowed to write"
        case .toolFailed(let tool, let message):
            "MCP Agent Mail tool `\(tool)` failed: \(message)"
        case .malformed(let tool, let detail):
            "MCP Agent Mail tool `\(tool)` gave an answer gorch cannot read: \(detail)"
        }
    }

    public var hint: String {
        switch self {
        case .unreachable:
            "start the server (`mcp-agent-mail serve-http`, default http://127.0.0.1:8765/mcp/) or fix the configured URL (the JSON-RPC path ends in /mcp/)"
        case .unauthorized:
            "configure the token the server was started with (its HTTP_BEARER_TOKEN); with RBAC on (HTTP_RBAC_ENABLED, default true) a plain bearer token is read-only (the Rust server always, 0.1.0 from other hosts): set HTTP_RBAC_ENABLED=false there"
        case .toolFailed:
            "check the arguments named in the message (project key, agent name, paths); the server's log has the details"
        case .malformed:
            "check that the server is MCP Agent Mail (gorch is tested against mcp-agent-mail 0.1.0)"
        }
    }

    public var description: String { "\(message); \(hint)" }
}
