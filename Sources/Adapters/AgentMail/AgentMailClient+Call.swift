import Foundation
import MCP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension AgentMailClient {
    /// Calls one tool within `config.timeout` and decodes its result.
    ///
    /// 0.1.0 runs in "core" tools mode by default (`MCP_TOOLS_MODE`): the reservation tools are
    /// hidden and reachable only through `call_extended_tool`. They are called directly first;
    /// on "Unknown tool" the call goes through the proxy, and this client remembers to.
    func call<Output: Decodable>(_ tool: String, _ arguments: [String: Value]) async throws -> Output {
        if Self.extendedTools.contains(tool) {
            if extendedViaProxy { return try await invoke(tool, arguments, viaProxy: true) }
            do {
                return try await invoke(tool, arguments, viaProxy: false)
            } catch AgentMailError.toolFailed(_, let message) where message.hasPrefix("Unknown tool") {
                extendedViaProxy = true
                return try await invoke(tool, arguments, viaProxy: true)
            }
        }
        return try await invoke(tool, arguments, viaProxy: false)
    }

    /// The tools 0.1.0 lists in EXTENDED_TOOLS that gorch calls.
    static let extendedTools: Set<String> = [
        "file_reservation_paths", "renew_file_reservations", "release_file_reservations",
    ]

    private func invoke<Output: Decodable>(_ tool: String, _ arguments: [String: Value], viaProxy: Bool) async throws -> Output {
        let request = viaProxy
            ? CallTool.Parameters(name: "call_extended_tool", arguments: ["tool_name": .string(tool), "arguments": .object(arguments)])
            : CallTool.Parameters(name: tool, arguments: arguments)
        let result: CallTool.Result
        do {
            result = try await withDeadline(config.timeout) { [self] in
                let client = try await self.openSession()
                return try await client.send(CallTool.request(request)).value
            }
        } catch {
            let failure = classify(error, tool: tool)
            switch failure {
            case .unreachable, .unauthorized: await dropSession()
            case .toolFailed, .malformed: break
            }
            throw failure
        }
        return try Self.decode(result, tool: tool)
    }

    /// An MCP session and who answered its `initialize`.
    struct OpenSession: Sendable {
        let client: Client
        let server: Server.Info
    }

    /// The MCP session, opened (transport + `initialize`) on first use.
    func openSession() async throws -> Client {
        if let session { return try await session.value.client }
        let config = self.config
        let opening = Task<OpenSession, any Error> {
            let configuration = URLSessionConfiguration.ephemeral
            // A backstop only: withDeadline enforces the timeout (Linux URLSession rounds it down to whole seconds).
            let seconds = Self.seconds(config.timeout).rounded(.up) + 1
            configuration.timeoutIntervalForRequest = seconds
            configuration.timeoutIntervalForResource = seconds
            let token = config.token
            let transport = HTTPClientTransport(
                endpoint: config.url,
                configuration: configuration,
                streaming: false,
                requestModifier: { request in
                    guard let token else { return request }
                    var request = request
                    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                    return request
                }
            )
            let client = Client(name: "gorch", version: "1")
            do {
                let answer = try await client.connect(transport: transport)
                return OpenSession(client: client, server: answer.serverInfo)
            } catch {
                await client.disconnect()
                throw error
            }
        }
        session = opening
        let opened = try await opening.value
        serverInfo = (opened.server.name, opened.server.version)
        return opened.client
    }

    /// Forgets the session (after a failure or timeout) and closes it in the background.
    private func dropSession() async {
        guard let dropped = session else { return }
        session = nil
        Task { if let opened = try? await dropped.value { await opened.client.disconnect() } }
        dropped.cancel()
    }

    /// Turns whatever the transport, the SDK or the server threw into an `AgentMailError`.
    func classify(_ error: any Error, tool: String) -> AgentMailError {
        let url = Self.displayURL(config.url)
        switch error {
        case let error as AgentMailError:
            return error
        case is DeadlineExceeded:
            return .unreachable(url: url, detail: "no answer within \(Self.describe(config.timeout))")
        case let error as URLError:
            return .unreachable(url: url, detail: Self.describe(error, timeout: config.timeout))
        case let error as MCPError:
            switch error {
            case .internalError(let detail?) where detail == "Authentication required" || detail == "Access forbidden":
                return .unauthorized(url: url)
            case .internalError(let detail?) where Self.transportFailures.contains(where: detail.hasPrefix):
                return .unreachable(url: url, detail: detail)
            case .transportError(let underlying):
                return classify(underlying, tool: tool)
            case .connectionClosed:
                return .unreachable(url: url, detail: "connection closed")
            default:
                return .toolFailed(tool: tool, message: error.errorDescription ?? "\(error)")
            }
        case is DecodingError:
            return .malformed(tool: tool, detail: "\(error)")
        case is CancellationError:
            return .unreachable(url: url, detail: "cancelled")
        default:
            return .unreachable(url: url, detail: "\(error)")
        }
    }

    /// HTTPClientTransport 0.12.1's texts for HTTP statuses other than 401/403, and its other local failures.
    private static let transportFailures = [
        "Bad request", "Endpoint not found", "Session expired", "Method not allowed", "Request timeout",
        "Too many requests", "Server error", "Unexpected HTTP response", "Invalid HTTP response",
        "Transport not connected", "Client connection not initialized", "Client disconnected",
    ]

    /// `isError` → `.toolFailed` with the server's text; otherwise `structuredContent` (else the
    /// text content parsed as JSON) decoded as `Output`. An `{"error": {...}}` payload is a failure too.
    static func decode<Output: Decodable>(_ result: CallTool.Result, tool: String) throws -> Output {
        let text = result.content.compactMap { content -> String? in
            if case .text(let text, _, _) = content { return text }
            return nil
        }.joined(separator: "\n")
        if result.isError == true {
            throw AgentMailError.toolFailed(tool: tool, message: text.isEmpty ? "the server gave no reason" : text)
        }
        var payload = result.structuredContent
        if payload == nil, let data = text.data(using: .utf8) {
            payload = try? JSONDecoder().decode(Value.self, from: data)
        }
        guard let payload else {
            throw AgentMailError.malformed(tool: tool, detail: "no structured content and no JSON text")
        }
        if case .object(let object) = payload, let error = object["error"], case .object(let fields) = error {
            let kind = fields["type"]?.stringValue.map { "\($0): " } ?? ""
            throw AgentMailError.toolFailed(tool: tool, message: kind + (fields["message"]?.stringValue ?? "\(error)"))
        }
        do {
            return try decodeValue(payload)
        } catch let first {
            // FastMCP wraps a non-object return value (a list) as {"result": ...}.
            if case .object(let object) = payload, object.count == 1, let inner = object["result"],
                let output: Output = try? decodeValue(inner)
            {
                return output
            }
            throw AgentMailError.malformed(tool: tool, detail: describe(first))
        }
    }

    private static func decodeValue<Output: Decodable>(_ value: Value) throws -> Output {
        try JSONDecoder().decode(Output.self, from: JSONEncoder().encode(value))
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing key \"\(path(context.codingPath + [key]))\""
        case DecodingError.typeMismatch(let type, let context):
            "\"\(path(context.codingPath))\" is not a \(type)"
        case DecodingError.valueNotFound(let type, let context):
            "\"\(path(context.codingPath))\" is null, expected \(type)"
        case DecodingError.dataCorrupted(let context):
            "bad data at \"\(path(context.codingPath))\": \(context.debugDescription)"
        default:
            "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ error: URLError, timeout: Duration) -> String {
        switch error.code {
        case .cannotConnectToHost: "connection refused"
        case .timedOut: "no answer within \(describe(timeout))"
        case .cannotFindHost, .dnsLookupFailed: "host not found"
        case .networkConnectionLost: "connection lost"
        case .notConnectedToInternet: "no network"
        case .badServerResponse: "bad server response"
        default: "network error \(error.code.rawValue)"
        }
    }

    /// The URL without user, password, query or fragment (none of which belong in a message).
    public static func displayURL(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "the configured URL" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? "the configured URL"
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func describe(_ duration: Duration) -> String {
        let value = seconds(duration)
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
