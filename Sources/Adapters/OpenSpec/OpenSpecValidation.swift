/// The verdict of `openspec validate <change> --strict --json`.
public struct OpenSpecValidation: Sendable, Equatable {
    public let valid: Bool
    /// Every issue of every item, flattened: `ERROR proposal.md: Missing required file proposal.md`.
    public let issues: [String]

    public init(valid: Bool, issues: [String]) {
        self.valid = valid
        self.issues = issues
    }
}

/// `{"items":[{"id","type","valid","issues":[…],"durationMs"}],"summary":{"totals":{…}},...}`
/// (src/commands/validate.ts:240). Issues are `{level, path, message}` objects; plain strings are
/// accepted too.
struct OpenSpecReport: Decodable {
    struct Item: Decodable {
        let id: String?
        let valid: Bool
        let issues: [Issue]?
    }

    struct Issue: Decodable {
        let text: String

        private enum Keys: String, CodingKey { case level, path, message }

        init(from decoder: any Decoder) throws {
            if let plain = try? decoder.singleValueContainer().decode(String.self) {
                text = plain
                return
            }
            let c = try decoder.container(keyedBy: Keys.self)
            let message = c.lenient(String.self, .message) ?? "(no message)"
            let path = c.lenient(String.self, .path).flatMap { $0.isEmpty ? nil : $0 }
            let level = c.lenient(String.self, .level)
            text = [level, path.map { $0 + ":" }, message].compactMap { $0 }.joined(separator: " ")
        }
    }

    struct Summary: Decodable {
        struct Totals: Decodable { let failed: Int? }
        let totals: Totals?
    }

    let items: [Item]
    let summary: Summary?

    var validation: OpenSpecValidation {
        let failed = summary?.totals?.failed ?? 0
        let valid = !items.isEmpty && items.allSatisfy(\.valid) && failed == 0
        let issues = items.flatMap { item in
            (item.issues ?? []).map { issue in
                items.count > 1 ? "\(item.id ?? "?"): \(issue.text)" : issue.text
            }
        }
        return OpenSpecValidation(valid: valid, issues: issues)
    }
}
