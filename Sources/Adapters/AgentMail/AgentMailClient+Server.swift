import Foundation
import MCP

/// Which Agent Mail server answers, and which optional arguments its tools take.
extension AgentMailClient {
    /// The server contracts gorch knows (contracts.md §4, contracts-update.md §5).
    public enum Contract: String, Sendable, CaseIterable {
        /// PyPI mcp-agent-mail 0.1.x: advisory grants, no agent tokens.
        case python01 = "Python 0.1"
        /// Python 0.3.x (GitHub): advisory grants; agent-scoped calls carry the agent's registration_token.
        case python03 = "Python 0.3"
        /// mcp_agent_mail_rust 0.3.x: only paths without conflicts are granted; TTLs clamped.
        case rust = "Rust"

        /// What the contract means for a gorch user (`doctor`).
        public var meaning: String {
            switch self {
            case .python01: "advisory reservations: every path is granted and overlaps come back as conflicts, which gorch refuses"
            case .python03: "advisory reservations; gorch keeps each agent's registration token (private, never shown) and sends it on the agent's calls"
            case .rust: "partial grants: only paths without conflicts are granted; gorch refuses the start and releases what was granted; TTLs are clamped to 60 s - 1 year"
            }
        }
    }

    public struct ServerIdentity: Sendable, Equatable {
        /// As the server's `initialize` answer names it.
        public let name: String
        public let version: String
        public let contract: Contract
    }

    /// Who answers: `initialize`'s server info, and the contract read from the tool list
    /// (`registration_token` on `file_reservation_paths`, or on any tool when that one is hidden:
    /// Python 0.3; `check_file_reservation_conflicts` or an `idempotency_key` on
    /// `file_reservation_paths`: Rust, which takes no registration token there; else Python 0.1). Python servers
    /// report FastMCP's version, not their own, so versions decide nothing.
    public func identify() async throws -> ServerIdentity {
        let listed = try await listedArguments()
        let info = serverInfo ?? (name: "unknown", version: "?")
        let contract: Contract
        let takesRegistration = listed.values.contains { $0.contains("registration_token") }
        if listed["file_reservation_paths"]?.contains("registration_token") == true {
            contract = .python03
        } else if listed["check_file_reservation_conflicts"] != nil
            || listed["file_reservation_paths"]?.contains("idempotency_key") == true {
            contract = .rust
        } else {
            contract = takesRegistration ? .python03 : .python01
        }
        return ServerIdentity(name: info.name, version: info.version, contract: contract)
    }

    /// Whether any listed tool takes an agent token.
    static func knowsTokens(_ listed: [String: Set<String>]) -> Bool {
        listed.values.contains { $0.contains("registration_token") || $0.contains("sender_token") }
    }

    /// Adds an agent's token under `parameter` when there is one and the tool takes it: Python
    /// 0.3 requires it, and a server that does not know the argument may refuse the call (Rust's
    /// `file_reservation_paths` has none; 0.1.0 fails on it). A tool the server does not list
    /// (hidden behind `call_extended_tool`) gets it only from a server whose listed tools take tokens.
    func addToken(_ token: String?, as parameter: String, for tool: String, to arguments: inout [String: Value]) async throws {
        guard let token else { return }
        let listed = try await listedArguments()
        if let names = listed[tool] {
            guard names.contains(parameter) else { return }
        } else {
            guard Self.knowsTokens(listed) else { return }
        }
        arguments[parameter] = .string(token)
    }

    /// Each tool's argument names from `tools/list` (every page, at most 50), asked once.
    func listedArguments() async throws -> [String: Set<String>] {
        if let toolArguments { return toolArguments }
        let tools: [Tool]
        do {
            tools = try await withDeadline(config.timeout) { [self] in
                let client = try await self.openSession()
                var all: [Tool] = []
                var cursor: String?
                for _ in 0..<50 {
                    let page = try await client.listTools(cursor: cursor)
                    all += page.tools
                    cursor = page.nextCursor
                    if cursor == nil { break }
                }
                return all
            }
        } catch {
            throw classify(error, tool: "tools/list")
        }
        var found: [String: Set<String>] = [:]
        for tool in tools {
            guard case .object(let schema) = tool.inputSchema, case .object(let properties)? = schema["properties"] else {
                found[tool.name] = []
                continue
            }
            found[tool.name] = Set(properties.keys)
        }
        toolArguments = found
        return found
    }
}
