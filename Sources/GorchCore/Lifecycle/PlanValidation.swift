import Adapters

/// `openspec validate <change> --strict --json` when openspec is installed (nil otherwise).
public enum PlanValidation {
    public struct Outcome: Sendable {
        public let valid: Bool
        public let issues: [String]
    }

    public static func validate(change: String, root: String, timeout: Duration = .seconds(60)) async throws -> Outcome? {
        let openspec = OpenSpecClient(workingDirectory: root, timeout: timeout)
        guard openspec.isInstalled else { return nil }
        let result = try await openspec.validate(change: change)
        return Outcome(valid: result.valid, issues: result.issues)
    }
}
