import Foundation
import GorchTestSupport
import Testing

/// bd, bv and openspec missing, hanging, failing, or printing garbage or an unexpected JSON
/// shape (the fakes' FAKE_* switches, Tests/Fakes/README.md). A required tool's failure is exit 3
/// naming the command, the cause and the fix, with nothing changed; an optional one (bv,
/// openspec validation) is a warning or is skipped, as DESIGN.md says.
@Suite("bad input: bd, bv, openspec", .timeLimit(.minutes(20)))
struct BadInputToolTests {
    typealias Project = SeedFlowTests.SeedProject

    /// A Beads project with the change populated (6 issues), gorch.toolTimeout at 1 s.
    static func project() throws -> (Project, String) {
        let project = try Project(era: .dolt)
        _ = try project.json("populate", SeedFlowTests.change)
        try project.repo.git("config", "gorch.toolTimeout", "1s")
        let ready = try #require(try project.bd("ready", "--limit", "0") as? [[String: Any]])
        return (project, try #require(ready.first?["id"] as? String))
    }

    static func run(_ project: Project, _ arguments: [String], _ extra: [String: String] = [:], path: String? = nil) throws -> ShellResult {
        var environment = project.toolEnvironment.merging(extra) { $1 }
        if let path { environment["PATH"] = path }
        return try runGorch(arguments + ["--json"], cwd: project.path, environment: environment)
    }

    /// A `bin/` with only a `bd` script printing `output`, first on PATH (other tools stay).
    static func bdPrinting(_ output: String, _ project: Project) throws -> (TempDirectory, String) {
        let directory = try TempDirectory(label: "odd-bd")
        let script = "#!/bin/sh\ncat <<'EOF'\n\(output)\nEOF\n"
        try script.write(toFile: directory.path + "/bd", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path + "/bd")
        return (directory, directory.path + ":" + (project.toolEnvironment["PATH"] ?? ""))
    }

    @Test("bd missing while gorch.tracker = beads: status, start, batch and merge exit 3 naming bd and how to install it")
    func bdMissing() throws {
        let (project, id) = try Self.project()
        try project.repo.git("config", "gorch.tracker", "beads")
        let before = try BadInputSnapshot(project.path)
        for arguments in [["status"], ["start", id], ["batch", "--yes"], ["merge"], ["populate", SeedFlowTests.change]] {
            let result = try Self.run(project, arguments, path: "/usr/bin:/bin")
            try expectRefusal(result, exit: 3, kind: "environment", message: ["bd is not on PATH"], hint: ["install bd", "gorch.tracker embedded"])
        }
        #expect(try BadInputSnapshot(project.path) == before)
    }

    @Test("bd hanging: stopped at gorch.toolTimeout, exit 3 saying it timed out; start creates nothing")
    func bdHanging() throws {
        let (project, id) = try Self.project()
        let before = try BadInputSnapshot(project.path)
        for arguments in [["status"], ["start", id], ["batch", "--yes"]] {
            let result = try Self.run(project, arguments, ["FAKE_BD_DELAY": "120"])
            try expectRefusal(result, exit: 3, kind: "environment", message: ["`bd ", "timed out after 1 s"], hint: ["raise the timeout"])
        }
        #expect(try BadInputSnapshot(project.path) == before)
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees/wt-\(id)"))
        // A bad value of the setting is itself a usage error naming it.
        try project.repo.git("config", "gorch.toolTimeout", "soon")
        try expectRefusal(try Self.run(project, ["status"]), exit: 2, kind: "usage", message: ["gorch.toolTimeout is 'soon'"])
    }

    @Test("bd exiting 1 (claim, list, ready): exit 3 with bd's own message; the issue stays open, no worktree", arguments: ["update", "list", "ready"])
    func bdFailing(command: String) throws {
        let (project, id) = try Self.project()
        let before = try BadInputSnapshot(project.path)
        let arguments = ["update": ["start", id], "list": ["status"], "ready": ["batch", "--yes"]][command] ?? []
        let result = try Self.run(project, arguments, ["FAKE_BD_FAIL": command])
        try expectRefusal(result, exit: 3, kind: "environment", message: ["`bd \(command)", "failed (exit 1)", "injected failure"],
                          hint: ["run it by hand"])
        #expect(try BadInputSnapshot(project.path) == before)
        let issue = try #require((try project.bd("show", id) as? [[String: Any]])?.first)
        #expect(issue["status"] as? String == "open")
    }

    @Test("bd printing garbage: exit 3 naming the command and showing what it printed; nothing changes")
    func bdGarbage() throws {
        let (project, id) = try Self.project()
        let before = try BadInputSnapshot(project.path)
        for arguments in [["status"], ["start", id], ["batch", "--yes"], ["populate", SeedFlowTests.change]] {
            let result = try Self.run(project, arguments, ["FAKE_BD_GARBAGE": "1"])
            try expectRefusal(result, exit: 3, kind: "environment",
                              message: ["printed output gorch cannot read (not valid JSON)", "it printed: "], hint: ["version gorch supports"])
        }
        #expect(try BadInputSnapshot(project.path) == before)
    }

    @Test("bd printing JSON of an unexpected shape: exit 3 saying what was expected where", arguments: [
        (#"{"issues": [{"id": "gr-1"}]}"#, "expected Array"),
        (#"[{"id": 5, "title": "five"}]"#, "expected String at [0].id"),
        (#"[{"title": "no id"}]"#, #"missing key "id" at [0]"#),
    ])
    func bdUnexpectedShape(output: String, expected: String) throws {
        let (project, id) = try Self.project()
        let (bin, path) = try Self.bdPrinting(output, project)
        let before = try BadInputSnapshot(project.path)
        // status reads `bd list` (an array expected); start reads `bd show` (an array or one issue).
        let status = try Self.run(project, ["status"], path: path)
        try expectRefusal(status, exit: 3, kind: "environment", message: ["`bd list", "printed output gorch cannot read", expected])
        let start = try Self.run(project, ["start", id], path: path)
        try expectRefusal(start, exit: 3, kind: "environment", message: ["`bd show", "printed output gorch cannot read", "it printed: "])
        #expect(try BadInputSnapshot(project.path) == before)
        _ = bin
    }

    @Test("bv missing, printing garbage or hanging: batch falls back to bd ready (with a warning when bv failed)", arguments: ["missing", "garbage", "hanging"])
    func bvFallback(mode: String) throws {
        let (project, _) = try Self.project()
        var extra: [String: String] = [:]
        var path: String?
        switch mode {
        case "missing":
            let bin = try TempDirectory(label: "bd-only")
            try FileManager.default.createSymbolicLink(atPath: bin.path + "/bd", withDestinationPath: project.fakes.bin + "/bd")
            path = bin.path + ":/usr/bin:/bin"
            let result = try Self.run(project, ["batch"], path: path)
            let batch = try jsonDocument(result)
            #expect(result.status == 0 && batch["source"] as? String == "bd ready", "\(batch)")
            #expect((batch["warnings"] as? [String])?.isEmpty == true)
            #expect((batch["picks"] as? [Any])?.count == 3)
            return
        case "garbage": extra["FAKE_BV_GARBAGE"] = "1"
        default: extra["FAKE_BV_DELAY"] = "120"
        }
        let result = try Self.run(project, ["batch"], extra)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let batch = try jsonDocument(result)
        #expect(batch["source"] as? String == "bd ready")
        #expect((batch["picks"] as? [Any])?.count == 3)
        let warning = (batch["warnings"] as? [String])?.first ?? ""
        #expect(warning.contains("bv --robot-plan failed") && warning.contains("using bd ready alone"), "\(warning)")
        #expect(warning.contains(mode == "garbage" ? "not valid JSON" : "timed out after 1 s"), "\(warning)")
    }

    @Test("openspec missing: plan works without validation (null); garbage or hanging: exit 3 naming openspec")
    func openspec() throws {
        let (project, _) = try Self.project()
        let bin = try TempDirectory(label: "no-openspec")
        let path = bin.path + ":/usr/bin:/bin"
        let missing = try Self.run(project, ["plan", SeedFlowTests.change], path: path)
        #expect(missing.status == 0, "\(missing.stderr)")
        let plan = try jsonDocument(missing)
        #expect(isNull(plan["validation"]) && plan["unchecked"] as? Int == 6)

        let garbage = try Self.run(project, ["plan", SeedFlowTests.change], ["FAKE_OPENSPEC_GARBAGE": "1"])
        try expectRefusal(garbage, exit: 3, kind: "environment", message: ["`openspec validate \(SeedFlowTests.change) --strict --json`",
                                                                             "not valid JSON"])
        let hanging = try Self.run(project, ["plan", SeedFlowTests.change], ["FAKE_OPENSPEC_DELAY": "120"])
        try expectRefusal(hanging, exit: 3, kind: "environment", message: ["`openspec validate", "timed out after 1 s"])
    }
}
