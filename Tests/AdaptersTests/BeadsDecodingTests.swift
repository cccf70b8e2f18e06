@testable import Adapters
import Foundation
import Testing

/// bd's JSON shapes from shared/contracts.md section 1, decoded without running anything.
@Suite(.timeLimit(.minutes(20))) struct BeadsDecodingTests {
    static let readyExample = """
    [
      {
        "id": "gorch-a1b2",
        "title": "Implement worktree pool",
        "description": "See openspec change add-pool",
        "status": "open",
        "priority": 1,
        "issue_type": "task",
        "created_at": "2026-05-30T10:00:00Z",
        "created_by": "alice",
        "updated_at": "2026-05-30T10:00:00Z",
        "labels": ["openspec:add-pool"],
        "dependencies": [
          {"issue_id": "gorch-a1b2", "depends_on_id": "gorch-epic1", "type": "parent-child", "created_at": "2026-05-30T10:00:00Z"}
        ],
        "dependency_count": 1,
        "dependent_count": 2,
        "comment_count": 0,
        "parent": "gorch-epic1"
      }
    ]
    """

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test func readyItemFromTheContract() throws {
        let issues = try decode(BeadsPayload<[BeadsIssue]>.self, Self.readyExample).value
        let issue = try #require(issues.first)
        #expect(issue.id == "gorch-a1b2")
        #expect(issue.priority == 1)
        #expect(issue.issue_type == "task")
        #expect(issue.labels == ["openspec:add-pool"])
        #expect(issue.parent == "gorch-epic1")
        #expect(issue.dependency_count == 1 && issue.dependent_count == 2)
        #expect(issue.dependencies == [BeadsDependency(issueID: "gorch-a1b2", dependsOnID: "gorch-epic1", type: "parent-child")])
        #expect(issue.assignee == nil && issue.closed_at == nil)
    }

    @Test func showFormDependencyIsAFullIssue() throws {
        let json = """
        {"id":"t-2","title":"B","status":"open","priority":2,"created_at":"x","updated_at":"y",
         "dependencies":[{"id":"t-1","title":"A","status":"closed","priority":2,"created_at":"x","updated_at":"y","dependency_type":"blocks"}]}
        """
        let issue = try decode(BeadsIssue.self, json)
        #expect(issue.dependencies == [BeadsDependency(type: "blocks", id: "t-1", status: "closed", title: "A")])
        #expect(issue.dependencies?.first?.target == "t-1")
    }

    @Test func decodingIsLenient() throws {
        let json = """
        {"id":"t-1","issue_type":true,"labels":null,"priority":"high","brand_new_field":{"a":[1]},
         "dependencies":[{"issue_id":"t-1","depends_on_id":"t-0","type":"blocks"}, 42]}
        """
        let issue = try decode(BeadsIssue.self, json)
        #expect(issue.id == "t-1")
        #expect(issue.title == "" && issue.status == "open" && issue.priority == 2)
        #expect(issue.issue_type == nil && issue.labels == nil)
        #expect(issue.dependencies?.count == 1)

        #expect(throws: DecodingError.self) { try decode(BeadsIssue.self, #"{"title":"no id"}"#) }
    }

    @Test func envelopeAndSchemaVersionAreBothRead() throws {
        let object = #"{"id":"t-1","title":"A","schema_version":1,"status":"open","priority":0,"created_at":"","updated_at":""}"#
        #expect(try decode(BeadsPayload<BeadsIssue>.self, object).value.title == "A")
        let wrapped = #"{"schema_version":1,"data":[\#(object)]}"#
        #expect(try decode(BeadsPayload<[BeadsIssue]>.self, wrapped).value.map(\.id) == ["t-1"])
        #expect(try decode(BeadsPayload<OneOrMany<BeadsIssue>>.self, object).value.items.map(\.id) == ["t-1"])
        #expect(try decode(BeadsPayload<OneOrMany<BeadsIssue>>.self, "[\(object),\(object)]").value.items.count == 2)
    }

    @Test(arguments: [
        ("bd version 0.49.6 (dev: abc123)", "0.49.6", BeadsEra.legacy),
        ("bd version 0.55.4", "0.55.4", .legacy),
        ("bd version 0.56.0 (Homebrew)", "0.56.0", .dolt),
        ("bd version v1.0.5-rc1", "1.0.5", .dolt),
        ("bd version 1.2.2 (Homebrew)", "1.2.2", .dolt),
        ("bd version 1.3.0 (dev)", "1.3.0", .leased),
        ("bd 2.1", "2.1", .leased),
        ("br version 0.5.7 (release)", "0.5.7", .rust),
        ("br version 1.4.0", "1.4.0", .rust),
    ])
    func eraFromVersionText(text: String, version: String, era: BeadsEra) {
        #expect(BeadsEra.versionNumber(in: text) == version)
        #expect(BeadsEra(versionOutput: text) == era)
        #expect(era.tool == (text.hasPrefix("br") ? "br" : "bd"))
    }

    @Test func versionTextWithoutANumberHasNoEra() {
        #expect(BeadsEra.versionNumber(in: "bd version dev") == nil)
        #expect(BeadsEra(version: "7") == nil)
    }

    @Test func bdJSONErrorsAreParsed() {
        let stderr = """
        {
          "code": "not_found",
          "error": "t-9: no issue found matching \\"t-9\\" {braces}",
          "schema_version": 1
        }
        {
          "code": "already_claimed",
          "error": "issue already claimed by alice"
        }
        """
        #expect(BeadsFailure.parse(stderr) == [
            .init(error: #"t-9: no issue found matching "t-9" {braces}"#, code: "not_found"),
            .init(error: "issue already claimed by alice", code: "already_claimed"),
        ])
        #expect(BeadsFailure.parse("Error: no beads database found\nHint: run bd init\n")
            == [.init(error: "no beads database found", code: nil)])
        #expect(BeadsFailure.isAlreadyClosed(ToolOutput(exitCode: 1, stdout: Data(),
                                                        stderr: #"{"code":"already_closed","error":"issue t-1 is already closed"}"#, duration: .zero)))
        #expect(!BeadsFailure.isAlreadyClosed(ToolOutput(exitCode: 1, stdout: Data(), stderr: "Error: boom", duration: .zero)))
    }

    @Test func bdJSONErrorsBecomeBeadsErrors() {
        let invocation = ToolInvocation(tool: "bd", arguments: ["update", "t-1", "--claim"], workingDirectory: "/")
        func error(_ stderr: String) -> any Error {
            BeadsFailure.error(invocation, ToolOutput(exitCode: 1, stdout: Data(), stderr: stderr, duration: .zero), ids: ["t-1"])
        }
        #expect(error(#"{"error":"issue already claimed by bob.","code":"x"}"#) as? BeadsError == .alreadyClaimed(by: "bob"))
        #expect(error(#"{"error":"not claimable: status closed"}"#) as? BeadsError == .notClaimable(status: "closed"))
        #expect(error(#"{"error":"no issue found matching 't-1'","code":"not_found"}"#) as? BeadsError == .notFound("t-1"))
        let other = error(#"{"error":"database is locked","code":"locked"}"#) as? ToolError
        #expect(other?.kind == .failed(exitCode: 1))
        #expect(other?.message == "`bd update t-1 --claim` failed (exit 1): database is locked")
    }

    @Test func errorsOnStdoutBrEnvelopesFreezesAndRefusals() {
        let invocation = ToolInvocation(tool: "bd", arguments: ["update", "t-1", "--claim"], workingDirectory: "/")
        func error(_ code: Int32 = 1, stdout: String = "", stderr: String = "") -> any Error {
            BeadsFailure.error(invocation, ToolOutput(exitCode: code, stdout: Data(stdout.utf8), stderr: stderr, duration: .zero),
                               ids: ["t-1"])
        }
        // bd >= 1.3: HandleErrorRespectJSON prints on stdout.
        #expect(error(stdout: #"{"error":"issue already claimed by carol","schema_version":1}"#) as? BeadsError
            == .alreadyClaimed(by: "carol"))
        #expect(error(stdout: #"{"error":"no issue found matching \"t-1\"","hint":"bd list","schema_version":1}"#) as? BeadsError
            == .notFound("t-1"))
        // br: a nested envelope on stdout, typed exit codes.
        #expect(error(4, stdout: #"{"error":{"code":"VALIDATION_FAILED","message":"issue already assigned to dave","retryable":false}}"#)
            as? BeadsError == .alreadyClaimed(by: "dave"))
        #expect(error(3, stdout: #"{"error":{"code":"ISSUE_NOT_FOUND","message":"Issue not found: t-1","hint":null}}"#)
            as? BeadsError == .notFound("t-1"))
        // The freeze: exit 14 and a text line, whatever else is printed.
        #expect(error(14, stderr: "⛔ workspace is frozen for migration\n") as? BeadsError
            == .frozen(command: "bd update t-1 --claim"))
        // A proxied server's typed refusal.
        #expect(error(stdout: #"{"code":"proxy.sync.unsupported","error":"sync is not supported","mutates":false,"reason":"design"}"#)
            as? BeadsError == .refused(code: "proxy.sync.unsupported", message: "sync is not supported"))
        let brOther = error(2, stdout: #"{"error":{"code":"DATABASE_LOCKED","message":"database is locked"}}"#) as? ToolError
        #expect(brOther?.message == "`bd update t-1 --claim` failed (exit 2): database is locked")
        // Already closed, by era: bd <= 1.2's error; br and bd 1.3 exit 0 for it.
        #expect(BeadsFailure.isAlreadyClosed(ToolOutput(exitCode: 1, stdout: Data(#"{"error":"t-1 is already closed","schema_version":1}"#.utf8),
                                                        stderr: "", duration: .zero)))
    }

    @Test func syncOutcomesFromExitCodesAndJSON() {
        func outcome(_ code: Int32, _ json: String) -> BeadsSyncOutcome? { BeadsSyncOutcome(exitCode: code, stdout: Data(json.utf8)) }
        let ok = outcome(0, #"{"attempts":1,"pushed":true,"rows_corrected":0,"schema_version":1,"status":"ok"}"#)
        #expect(ok?.status == .ok && ok?.pushed == true && ok?.word == "ok")
        #expect(outcome(0, #"{"status":"no-remote","schema_version":1}"#)?.word == "no-remote")
        let conflict = outcome(2, #"{"status":"conflict","pushed":false,"conflicts":[{"table":"issues","id":"t-1"}]}"#)
        #expect(conflict?.status == .conflict && conflict?.conflicts == ["t-1"])
        let busy = outcome(3, #"{"status":"retries-exhausted","attempts":3,"transients":[{"attempt":3,"kind":"push","error":"rejected"}]}"#)
        #expect(busy?.status == .retriesExhausted && busy?.attempts == 3 && busy?.lastError == "rejected")
        #expect(outcome(4, "{}")?.status == .dirtyStuck)
        #expect(outcome(1, #"{"error":"boom"}"#) == nil)
        #expect(outcome(0, #"{"data":{"status":"ok","pushed":true},"schema_version":1}"#)?.pushed == true)
    }
}
