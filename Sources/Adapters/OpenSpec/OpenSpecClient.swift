import Foundation

/// OpenSpec's CLI (contracts.md section 3), when installed; gorch reads tasks.md itself.
public final class OpenSpecClient: Sendable {
    public let executable: String
    public let workingDirectory: String
    public let environment: [String: String]
    public let timeout: Duration

    public init(executable: String = "openspec", workingDirectory: String, environment: [String: String] = [:],
                timeout: Duration = .seconds(60)) {
        self.executable = executable
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
    }

    public var isInstalled: Bool { ToolRunner.locate(executable, environment: environment) != nil }

    /// `openspec --version`: its version number, for doctor.
    public func version() async throws -> String {
        try await ToolRunner.versionNumber(invocation(["--version"]))
    }

    /// `openspec validate <change> --strict --json`. Exit 1 with a JSON report is an invalid
    /// change, not an error.
    /// - Throws: `ToolError` when it fails without a report, or prints something else.
    public func validate(change: String) async throws -> OpenSpecValidation {
        let invocation = self.invocation(["validate", change, "--strict", "--json"])
        let output = try await ToolRunner.run(invocation)
        switch output.exitCode {
        case 0:
            return try ToolRunner.decode(OpenSpecReport.self, from: output, invocation).validation
        case 1:
            guard let report = try? ToolRunner.decode(OpenSpecReport.self, from: output, invocation) else {
                throw ToolRunner.failed(invocation, output)
            }
            return report.validation
        default:
            throw ToolRunner.failed(invocation, output)
        }
    }

    /// `openspec archive <change> -y`: moves it to `openspec/changes/archive/YYYY-MM-DD-<change>`
    /// and applies its spec deltas.
    public func archive(change: String) async throws {
        let invocation = self.invocation(["archive", change, "-y"])
        let output = try await ToolRunner.run(invocation)
        guard output.exitCode == 0 else { throw ToolRunner.failed(invocation, output) }
    }

    func invocation(_ arguments: [String]) -> ToolInvocation {
        ToolInvocation(tool: executable, arguments: arguments, workingDirectory: workingDirectory,
                       environment: environment, timeout: timeout)
    }
}
