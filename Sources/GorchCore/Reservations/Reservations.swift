import Adapters
import Foundation

/// Chooses the reservation service: Agent Mail when a URL is configured (`gorch.agentMail.url` or
/// `GORCH_AGENT_MAIL_URL`; token from `GORCH_AGENT_MAIL_TOKEN` or `gorch.agentMail.token`) and it
/// answers, else the embedded store. The token is never printed or logged.
public enum Reservations {
    public struct Choice: Sendable {
        public let service: any ReservationService
        /// Why Agent Mail is not used although configured (shown by doctor and as a warning).
        public let fallbackReason: String?
        /// The configured URL as shown: without user, password, query or fragment (secrets).
        public let url: String?
        /// The Agent Mail client when the server answered (doctor asks it who it is).
        public var client: AgentMailClient? = nil
    }

    public static func choose(_ workspace: Workspace) async -> Choice {
        let embedded = EmbeddedReservations(paths: workspace.paths)
        let environment = ProcessInfo.processInfo.environment
        let configured = environment["GORCH_AGENT_MAIL_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (try? workspace.repository.configString("gorch.agentMail.url")) ?? nil
        guard let text = configured, let url = URL(string: text), let main = workspace.paths.mainWorkTree else {
            return Choice(service: embedded, fallbackReason: nil, url: nil)
        }
        let token = environment["GORCH_AGENT_MAIL_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (try? workspace.repository.configString("gorch.agentMail.token")) ?? nil
        var config = AgentMailConfig(url: url, token: token)
        config.timeout = workspace.settings.agentMailTimeout
        let client = AgentMailClient(config)
        do {
            try await client.health()
            return Choice(service: AgentMailReservations(client: client, humanKey: main, paths: workspace.paths),
                          fallbackReason: nil, url: AgentMailClient.displayURL(url), client: client)
        } catch let error as AgentMailError {
            return Choice(service: embedded, fallbackReason: error.message, url: AgentMailClient.displayURL(url))
        } catch {
            return Choice(service: embedded, fallbackReason: "\(error)", url: AgentMailClient.displayURL(url))
        }
    }


    /// A merged task holds nothing any more: its file reservations and its bootstrap port go.
    /// Best effort: a server that is down keeps nothing from finishing (reservations expire).
    public static func releaseMerged(_ task: TaskID, _ workspace: Workspace, service: (any ReservationService)? = nil) async {
        let service: any ReservationService = if let service { service } else { await choose(workspace).service }
        try? await service.release(task)
        try? WorktreeBootstrap.release(task, workspace: workspace)
    }
}
