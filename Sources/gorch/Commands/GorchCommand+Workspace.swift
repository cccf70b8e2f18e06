import Foundation
import GorchCore

extension GorchCommand {
    /// The command context: the repository named by --repo, or found from the current directory
    /// (a task worktree too), with --target and --remote; every service and nested step gets this one value.
    func openWorkspace() throws -> Workspace {
        try Workspace(discoverFrom: global.repo ?? FileManager.default.currentDirectoryPath, target: global.target,
                      remote: global.remote)
    }

    /// Parses a task id from the command line (exit 2 with the rule when it is not one).
    func taskID(_ text: String) throws -> TaskID {
        try TaskID(text)
    }

    /// Comma- or space-separated ids (`--after a,b`, `--ids a,b`).
    func taskIDs(_ list: [String]) throws -> [TaskID] {
        try list.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }) }.map { try TaskID(String($0)) }
    }

    /// Progress lines on stderr, for people; quiet in JSON mode.
    func note(_ text: String) {
        if !wantsJSON { Output.errorLine(text) }
    }
}
