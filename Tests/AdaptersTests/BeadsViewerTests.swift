@testable import Adapters
import Foundation
import GorchTestSupport
import Testing

@Suite(.timeLimit(.minutes(20))) struct BeadsViewerTests {
    let fakes: FakeTools
    let repo: TempDirectory

    init() throws {
        fakes = try FakeTools(era: .dolt, include: [.bv])
        repo = try TempDirectory(label: "bv")
        try FileManager.default.createDirectory(atPath: repo.path + "/.beads", withIntermediateDirectories: true)
    }

    func client(_ environment: [String: String] = [:]) -> BeadsViewerClient {
        BeadsViewerClient(workingDirectory: repo.path, environment: fakes.environment.merging(environment) { $1 })
    }

    /// `.beads/issues.jsonl` as bd exports it: `blocks` edges given as (issue, depends-on).
    func writeIssues(_ issues: [(id: String, priority: Int, status: String)], blocks: [(String, String)] = []) throws {
        let lines = issues.map { issue -> String in
            let deps = blocks.filter { $0.0 == issue.id }.map {
                #"{"issue_id":"\#($0.0)","depends_on_id":"\#($0.1)","type":"blocks","created_at":"2026-05-30T10:00:00Z"}"#
            }
            let depsField = deps.isEmpty ? "" : #","dependencies":[\#(deps.joined(separator: ","))]"#
            return #"{"id":"\#(issue.id)","title":"Title \#(issue.id)","status":"\#(issue.status)","priority":\#(issue.priority),"#
                + #""issue_type":"task","created_at":"2026-05-30T10:00:00Z","updated_at":"2026-05-30T10:00:00Z"\#(depsField)}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: repo.path + "/.beads/issues.jsonl", atomically: true, encoding: .utf8)
    }

    @Test(arguments: ["new", "old"]) func planFromEitherWrapper(wrapper: String) async throws {
        try writeIssues([("t-a", 1, "open"), ("t-b", 2, "open"), ("t-c", 0, "open"), ("t-d", 3, "in_progress")],
                        blocks: [("t-b", "t-a")])
        let plan = try await client(wrapper == "old" ? ["FAKE_BV_WRAPPER": "old"] : [:]).plan()
        #expect(plan.total_actionable == 3)
        #expect(plan.total_blocked == 1)
        let items = Dictionary(uniqueKeysWithValues: plan.items.map { ($0.id, $0) })
        #expect(Set(items.keys) == ["t-a", "t-c", "t-d"])                      // in_progress counts for bv
        #expect(items["t-a"]?.unblocks == ["t-b"])
        #expect(items["t-c"]?.unblocks == nil)                                  // bv prints null
        #expect(items["t-c"]?.priority == 0 && items["t-c"]?.status == "open" && items["t-c"]?.title == "Title t-c")
        #expect(plan.tracks?.allSatisfy { $0.track_id.hasPrefix("track-") && !$0.reason.isEmpty } == true)
        #expect(fakes.calls(.bv) == [["--robot-plan"]])
    }

    @Test func nothingActionableHasNullTracks() async throws {
        try writeIssues([("t-a", 1, "closed")])
        let plan = try await client().plan()
        #expect(plan.tracks == nil)
        #expect(plan.items.isEmpty)
        #expect(plan.total_actionable == 0)
    }

    @Test func contractExampleDecodes() throws {
        let json = """
        {"generated_at":"2026-05-30T10:00:00Z","data_hash":"3f2a","analysis_config":{},"status":{},
         "plan":{"tracks":[
           {"track_id":"track-A","items":[{"id":"gorch-a1b2","title":"Worktree pool","priority":1,"status":"open","unblocks":["gorch-c3d4"]}],"reason":"Independent work stream"},
           {"track_id":"track-B","items":[{"id":"gorch-e5f6","title":"Docs","priority":2,"status":"open","unblocks":null}],"reason":"Single actionable item"}],
          "total_actionable":2,"total_blocked":1,
          "summary":{"highest_impact":"gorch-a1b2","impact_reason":"Unblocks 1 task","unblocks_count":1}},
         "usage_hints":["jq '.plan.tracks | length' - Number of parallel execution tracks"]}
        """
        let plan = try JSONDecoder().decode(BVPlanDocument.self, from: Data(json.utf8)).plan
        #expect(plan.tracks?.map(\.track_id) == ["track-A", "track-B"])
        #expect(plan.items.map(\.unblocks) == [["gorch-c3d4"], nil])
        #expect(plan.total_blocked == 1)
    }

    @Test func cyclesFromInsights() async throws {
        try writeIssues([("t-a", 1, "open"), ("t-b", 1, "open"), ("t-c", 1, "open")],
                        blocks: [("t-a", "t-b"), ("t-b", "t-a")])
        let cycles = try await client().cycles()
        #expect(cycles?.count == 1)
        #expect(Set(cycles?.first ?? []) == ["t-a", "t-b"])
        #expect(fakes.calls(.bv) == [["--robot-insights"]])
    }

    @Test func noCyclesIsNil() async throws {
        try writeIssues([("t-a", 1, "open"), ("t-b", 1, "open")], blocks: [("t-a", "t-b")])
        #expect(try await client().cycles() == nil)
        let decode = { (json: String) in try JSONDecoder().decode(BVInsights.self, from: Data(json.utf8)).cycles }
        #expect(try decode(#"{"cycles":[["x","y"]]}"#) == [["x", "y"]])
        #expect(try decode(#"{"Cycles":[]}"#) == nil)
        #expect(try decode(#"{"Cycles":"unexpected"}"#) == nil)
        #expect(try decode(#"{"Stats":{}}"#) == nil)
    }

    @Test func garbageIsUndecodableAndMissingJSONLFails() async throws {
        try writeIssues([("t-a", 1, "open")])
        do {
            _ = try await client(["FAKE_BV_GARBAGE": "1"]).plan()
            Issue.record("expected an error")
        } catch let error as ToolError {
            #expect(error.kind == .undecodable)
            #expect(error.message.contains("`bv --robot-plan`"))
            #expect(error.message.contains("not json at all"))
        }
        try FileManager.default.removeItem(atPath: repo.path + "/.beads/issues.jsonl")
        do {
            _ = try await client().plan()
            Issue.record("expected an error")
        } catch let error as ToolError {
            #expect(error.kind == .failed(exitCode: 1))
            #expect(error.message.contains("no beads JSONL file found"))
        }
    }

    @Test func notInstalled() {
        #expect(client().isInstalled)
        #expect(!BeadsViewerClient(workingDirectory: repo.path, environment: ["PATH": "/nonexistent"]).isInstalled)
    }
}
