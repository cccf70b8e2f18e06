import Foundation
import GorchTestSupport
import Testing

/// Shell completions come from swift-argument-parser: `gorch --generate-completion-script SHELL`.
@Suite("shell completions", .timeLimit(.minutes(20)))
struct SkillsCompletionTests {
    static let subcommands = ["init", "doctor", "add", "plan", "populate", "batch", "start", "done", "status",
                              "merge", "sync", "cleanup", "conflicts", "demo", "skills"]

    @Test("bash: a script that completes every subcommand, and skills install's options")
    func bashCompletion() throws {
        let result = try runGorch(["--generate-completion-script", "bash"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("complete "), "not a bash completion script")
        for name in Self.subcommands {
            #expect(result.stdout.contains(name), "bash completion does not mention \(name)")
        }
        #expect(result.stdout.contains("install"))
        #expect(result.stdout.contains("--layout") && result.stdout.contains("--force"))
        #expect(result.stdout.contains("--repo") && result.stdout.contains("--json"))
    }

    @Test("zsh and fish scripts are generated too", arguments: ["zsh", "fish"])
    func otherShells(shell: String) throws {
        let result = try runGorch(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("merge") && result.stdout.contains("skills"), "\(shell): \(result.stdout.prefix(300))")
    }

    @Test("the bash script is valid bash")
    func bashParses() throws {
        let result = try runGorch(["--generate-completion-script", "bash"])
        let directory = try TempDirectory(label: "completion")
        let path = (directory.path as NSString).appendingPathComponent("gorch.bash")
        try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
        let check = try Shell.run("/bin/bash", ["-n", path], cwd: directory.path, env: gorchEnvironment)
        #expect(check.status == 0, "\(check.stderr)")
    }
}
