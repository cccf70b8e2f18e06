import Foundation

/// What `bd sync --json` (bd >= 1.3, cmd/bd/sync.go) reports: its exit code says the outcome,
/// its JSON the details. Unknown keys are ignored; every key but `status` is optional.
public struct BeadsSyncOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// 0: pulled and pushed, or nothing to do (`ok`), or `no-remote` / `disabled`.
        case ok
        /// 2: a conflict bd never resolves by itself; nothing was pushed.
        case conflict
        /// 3: transient push races outlasted bd's attempts: worth retrying.
        case retriesExhausted
        /// 4: the working set stayed dirty.
        case dirtyStuck
    }

    public let status: Status
    /// bd's own word: ok, no-remote, disabled, conflict, retries-exhausted, dirty-stuck.
    public let word: String
    public let pushed: Bool
    public let attempts: Int?
    /// What bd names of each conflict (an id, a table), for the message.
    public let conflicts: [String]
    public let lastError: String?

    /// nil for exit codes that are not sync outcomes (1: an error, anything else).
    public init?(exitCode: Int32, stdout: Data) {
        switch exitCode {
        case 0: status = .ok
        case 2: status = .conflict
        case 3: status = .retriesExhausted
        case 4: status = .dirtyStuck
        default: return nil
        }
        let object = (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any] ?? [:]
        let data = object["data"] as? [String: Any] ?? object  // BD_JSON_ENVELOPE=1
        word = data["status"] as? String ?? "unknown"
        pushed = data["pushed"] as? Bool ?? false
        attempts = data["attempts"] as? Int
        conflicts = (data["conflicts"] as? [Any] ?? []).map { entry in
            guard let fields = entry as? [String: Any] else { return "\(entry)" }
            return ["id", "issue_id", "table"].compactMap { fields[$0] as? String }.first ?? "\(fields)"
        }
        lastError = data["last_push_error"] as? String
            ?? (data["transients"] as? [[String: Any]])?.last?["error"] as? String
    }
}
