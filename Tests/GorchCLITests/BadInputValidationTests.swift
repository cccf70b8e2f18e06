import Foundation
import GorchTestSupport
import Testing

/// Validation commands that are not there or print far too much (a hanging one is
/// MergeGateTests.hangingValidation). The target never moves on a failure; output goes to the
/// log file on disk, never through gorch's memory.
@Suite("bad input: validation commands", .timeLimit(.minutes(20)))
struct BadInputValidationTests {
    /// Runs gorch under a python3 wrapper that prints the peak resident size of its children
    /// (gorch and what gorch waited for) in KiB on stderr's last line.
    static func measured(_ project: TaskProject, _ arguments: [String]) throws -> (ShellResult, Int) {
        let binary = try #require(GorchBinary.path, "\(GorchBinary.problem)")
        let wrapper = """
            import resource, subprocess, sys
            code = subprocess.call(sys.argv[1:])
            sys.stderr.write("\\nmaxrss %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.exit(code)
            """
        let result = try Shell.run("python3", ["-c", wrapper, binary] + arguments, cwd: project.path, env: gorchEnvironment)
        let line = result.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss ") }
        return (result, Int(line?.dropFirst(7) ?? "") ?? -1)
    }

    @Test("a validation command that does not exist: exit 127 recorded, task failed, target unmoved, the shell's 'not found' in the log")
    func missingCommand() throws {
        let project = try TaskProject()
        try project.agent("t1", ["t1.txt": "x\n"])
        let before = try project.rev("main")
        let report = try project.json("merge", "--validate", "gorch-no-such-validator --all", status: 1)
        let task = try #require((report["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "failed")
        let step = try #require((task["validation"] as? [[String: Any]])?.first)
        #expect(step["exit_code"] as? Int == 127 && step["timed_out"] as? Bool == false)
        #expect((task["message"] as? String)?.contains("exited 127") == true, "\(task)")
        #expect(try project.rev("main") == before)
        #expect(try project.state("t1") == "failed")
        #expect(project.exists(".worktrees/wt-t1/t1.txt"))
        #expect(try project.branchExists("task/t1"))
        let log = try String(contentsOfFile: try #require(task["log"] as? String), encoding: .utf8)
        #expect(log.contains("gorch-no-such-validator") && log.contains("not found"), "\(log)")
        try project.expectConsistent()
    }

    @Test("a validation printing 100 MB: merged, the whole output in the log on disk, gorch's memory stays far below it")
    func hundredMegabytes() throws {
        let project = try TaskProject()
        try project.agent("chatty", ["chatty.txt": "x\n"])
        // 100 MB of one endless line, then 2 million short lines.
        let noisy = "head -c 100000000 /dev/zero | tr '\\0' 'x'; echo; yes 'a line of output' | head -n 2000000"
        let (result, peak) = try Self.measured(project, ["merge", "--validate", noisy, "--json"])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let report = try jsonDocument(result)
        let task = try #require((report["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "merged")
        let log = try #require(task["log"] as? String)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        #expect(size > 100_000_000 + 2_000_000 * 17)
        // gorch itself needs ~40 MB; holding the output would need over 130 MB.
        #expect(peak > 0 && peak < 100_000, "peak resident size \(peak) KiB")
        #expect(result.stdout.utf8.count < 100_000)
    }

    @Test("a failing validation printing 100 MB: the report carries only the last lines; the target stays")
    func hundredMegabytesThenFailure() throws {
        let project = try TaskProject()
        try project.agent("loud", ["loud.txt": "x\n"])
        let before = try project.rev("main")
        let noisy = "yes 'noise noise noise noise noise noise noise noise noise' | head -c 100000000; echo; echo 'the real error' >&2; exit 3"
        let (result, peak) = try Self.measured(project, ["merge", "--validate", noisy, "--json"])
        #expect(result.status == 1)
        let task = try #require((try jsonDocument(result)["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "failed")
        #expect(result.stdout.utf8.count < 100_000)
        #expect(peak > 0 && peak < 100_000, "peak resident size \(peak) KiB")
        #expect(try project.rev("main") == before)
        let human = try runGorch(["status"], cwd: project.path)
        #expect(human.stdout.utf8.count < 10_000)
        // The person's view: the failure's tail under the task, ending with the real error.
        try project.gorch("done", "loud")
        let again = try runGorch(["merge", "--validate", noisy], cwd: project.path)
        #expect(again.status == 1 && again.stdout.contains("| the real error"), "\(again.stdout.suffix(2000))")
        #expect(again.stdout.utf8.count < 100_000)
    }
}
