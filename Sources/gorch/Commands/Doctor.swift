import ArgumentParser
import GitKit
import GorchCore
import Rainbow

/// `gorch doctor`: what gorch needs, what it found, and the fix for each problem.
struct Doctor: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the repository, libgit2, bd/bv/openspec, Agent Mail, hooks, worktrees and open merge runs.",
        discussion: "Exit 3 when something required is missing (bd in Beads mode, a target)."
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let checks = await GorchCore.Doctor(workspace: try openWorkspace()).run(libgit2: LibGit2.version)
        let failing = checks.filter { $0.required && ($0.status == .missing || $0.status == .error) }
        if global.json {
            try JSONOut.print(DoctorJSON(checks, ok: failing.isEmpty))
        } else {
            var table = Table(columns: [.init(title: "CHECK"), .init(title: "STATUS"), .init(title: "DETAIL")])
            for check in checks {
                let style: ((String) -> String)? = switch check.status {
                case .ok: { $0.green }
                case .warning, .missing: { $0.yellow }
                case .error: { $0.red }
                }
                table.add([.init(check.name), .init(check.status.rawValue, style: style), .init(check.detail)])
                if let fix = check.fix, check.status != .ok { table.addDetail("    fix: \(fix)") }
            }
            Output.lines(table.render(color: Output.usesColor))
        }
        if !failing.isEmpty { throw ExitCode(3) }
    }
}
