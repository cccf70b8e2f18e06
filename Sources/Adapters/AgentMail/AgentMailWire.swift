import Foundation

/// The JSON shapes of mcp-agent-mail 0.1.0's tool results (app.py), as far as gorch reads them.
/// Unknown keys are ignored; keys gorch relies on are required.
enum AgentMailWire {
    /// `health_check` → `{status, environment, http_host, http_port, database_url}`.
    struct Health: Decodable {
        let status: String
    }

    /// `ensure_project` → `{id, slug, human_key, created_at}`.
    struct Project: Decodable {
        let slug: String
    }

    /// `register_agent` → `{id, name, program, model, task_description, ...}`; Python 0.3 and
    /// Rust add `registration_token`.
    struct Agent: Decodable {
        let name: String
        let registration_token: String?
    }

    /// `file_reservation_paths` → `{granted: [...], conflicts: [...]}`.
    struct Reservations: Decodable {
        let granted: [Granted]
        let conflicts: [Conflict]
    }

    struct Granted: Decodable {
        let id: Int?
        let path_pattern: String
        let exclusive: Bool
        let expires_ts: String?
    }

    struct Conflict: Decodable {
        let path: String
        let holders: [Holder]
    }

    /// 0.1.0 lists holders as `{agent, path_pattern, exclusive, expires_ts}`; a bare name is accepted too.
    struct Holder: Decodable {
        let agent: String

        private enum CodingKeys: String, CodingKey { case agent }

        init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                agent = name
            } else {
                agent = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .agent)
            }
        }
    }

    /// `release_file_reservations` → `{released, released_at}`.
    struct Released: Decodable {
        let released: Int
    }

    /// `renew_file_reservations` → `{renewed, file_reservations}`.
    struct Renewed: Decodable {
        let renewed: Int
    }

    /// `send_message` → `{deliveries, count}` (errors come back as `{error: {...}}`, handled earlier).
    struct Sent: Decodable {
        let count: Int?
    }

    /// One `fetch_inbox` item: `{id, subject, from, created_ts, importance, ack_required, kind, body_md?}`.
    struct InboxItem: Decodable, Sendable, Equatable {
        let id: Int
        let subject: String
        let from: String
        let body_md: String?
    }
}
