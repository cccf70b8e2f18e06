import Foundation

/// beads_viewer's robot modes (contracts.md section 2). bv reads only `.beads/*.jsonl`: with a
/// Dolt-era bd, `BeadsClient.export(to:)` first.
public final class BeadsViewerClient: Sendable {
    public let executable: String
    public let workingDirectory: String
    public let environment: [String: String]
    public let timeout: Duration

    public init(executable: String = "bv", workingDirectory: String, environment: [String: String] = [:],
                timeout: Duration = .seconds(60)) {
        self.executable = executable
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
    }

    public var isInstalled: Bool { ToolRunner.locate(executable, environment: environment) != nil }

    /// `bv --version`: its version number, for doctor.
    public func version() async throws -> String {
        try await ToolRunner.versionNumber(invocation(["--version"]))
    }

    /// `bv --robot-plan`, its `.plan`.
    public func plan() async throws -> BVPlan {
        try await ToolRunner.json(BVPlanDocument.self, invocation(["--robot-plan"])).plan
    }

    /// `bv --robot-insights`: dependency cycles, each a list of issue ids; nil when bv reports
    /// none. The shape is unverified (contracts.md): a top-level `Cycles` or `cycles` array of
    /// arrays of ids is read; anything else is nil.
    public func cycles() async throws -> [[String]]? {
        try await ToolRunner.json(BVInsights.self, invocation(["--robot-insights"])).cycles
    }

    func invocation(_ arguments: [String]) -> ToolInvocation {
        ToolInvocation(tool: executable, arguments: arguments, workingDirectory: workingDirectory,
                       environment: environment, timeout: timeout)
    }
}

/// The part of `--robot-insights` gorch reads.
struct BVInsights: Decodable {
    let cycles: [[String]]?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var found: [[String]]?
        for name in ["Cycles", "cycles"] {
            if let value = container.lenient([[String]].self, Key(stringValue: name)) {
                found = value
                break
            }
        }
        cycles = found.flatMap { $0.isEmpty ? nil : $0 }
    }
}
