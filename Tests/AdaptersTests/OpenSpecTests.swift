import Adapters
import Foundation
import GorchTestSupport
import Testing

@Suite(.timeLimit(.minutes(20))) struct OpenSpecTests {
    let fakes: FakeTools
    let repo: TempDirectory
    let client: OpenSpecClient

    init() throws {
        fakes = try FakeTools(era: .dolt, include: [.openspec])
        repo = try TempDirectory(label: "openspec")
        var environment = fakes.environment
        environment["FAKE_OPENSPEC_DATE"] = "2026-05-30"
        client = OpenSpecClient(workingDirectory: repo.path, environment: environment)
        try FileManager.default.createDirectory(atPath: repo.path + "/openspec/specs", withIntermediateDirectories: true)
        try "schema: spec-driven\n".write(toFile: repo.path + "/openspec/config.yaml", atomically: true, encoding: .utf8)
    }

    func makeChange(_ name: String, files: [String: String]) throws {
        let directory = repo.path + "/openspec/changes/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (file, text) in files {
            try text.write(toFile: directory + "/" + file, atomically: true, encoding: .utf8)
        }
    }

    static let complete = ["proposal.md": "## Why\nBecause.\n", "tasks.md": "## 1. Pool\n- [x] 1.1 Build it\n"]

    @Test func validChange() async throws {
        try makeChange("add-pool", files: Self.complete)
        let result = try await client.validate(change: "add-pool")
        #expect(result == OpenSpecValidation(valid: true, issues: []))
        #expect(fakes.calls(.openspec) == [["validate", "add-pool", "--strict", "--json"]])
    }

    @Test func invalidChangeIsAResultNotAnError() async throws {
        try makeChange("half-done", files: ["proposal.md": "## Why\n"])
        let result = try await client.validate(change: "half-done")
        #expect(!result.valid)
        #expect(result.issues == ["ERROR tasks.md: Missing required file tasks.md"])

        let missing = try await client.validate(change: "nope")
        #expect(!missing.valid)
        #expect(missing.issues.first?.contains("Change 'nope' not found") == true)
    }

    @Test func archiveMovesTheChange() async throws {
        try makeChange("add-pool", files: Self.complete)
        try await client.archive(change: "add-pool")
        #expect(FileManager.default.fileExists(atPath: repo.path + "/openspec/changes/archive/2026-05-30-add-pool/tasks.md"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/openspec/changes/add-pool"))
        #expect(fakes.calls(.openspec) == [["archive", "add-pool", "-y"]])
    }

    @Test func archiveOfAMissingChangeFailsWithOpenSpecsMessage() async throws {
        do {
            try await client.archive(change: "nope")
            Issue.record("expected an error")
        } catch let error as ToolError {
            #expect(error.kind == .failed(exitCode: 1))
            #expect(error.message.contains("`openspec archive nope -y` failed"))
            #expect(error.message.contains("Change 'nope' not found"))
        }
    }

    @Test func garbageIsUndecodable() async throws {
        try makeChange("add-pool", files: Self.complete)
        var environment = fakes.environment
        environment["FAKE_OPENSPEC_GARBAGE"] = "1"
        let garbled = OpenSpecClient(workingDirectory: repo.path, environment: environment)
        do {
            _ = try await garbled.validate(change: "add-pool")
            Issue.record("expected an error")
        } catch let error as ToolError {
            #expect(error.kind == .undecodable)
            #expect(error.message.contains("`openspec validate add-pool --strict --json`"))
            #expect(error.message.contains("✔ not json"))
        }
    }

    @Test func notInstalled() async throws {
        #expect(client.isInstalled)
        let missing = OpenSpecClient(workingDirectory: repo.path, environment: ["PATH": "/nonexistent"])
        #expect(!missing.isInstalled)
        do {
            _ = try await missing.validate(change: "x")
            Issue.record("expected an error")
        } catch let error as ToolError {
            #expect(error.kind == .notFound)
            #expect(error.hint.contains("npm install -g @fission-ai/openspec"))
        }
    }
}
