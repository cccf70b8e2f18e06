import Foundation
import GitKit

/// `gorch demo`: the whole embedded workflow on a throwaway repository with four scripted agents.
/// Two tick neighbouring boxes in tasks.md (a conflict gorch resolves itself), and one edits the
/// same line as another (a complex conflict, handed back, resolved in the task's worktree and
/// finished with `--continue`). Every step goes through the same code as the real commands.
public struct DemoScenario {
    public let directory: String
    let say: @Sendable (DemoEvent) -> Void

    public init(directory: String, say: @escaping @Sendable (DemoEvent) -> Void) {
        self.directory = directory
        self.say = say
    }

    struct Agent {
        let id: String
        let title: String
        let box: String
        let files: [String: String]
        /// Whether the task declares its files; an undeclared scope reserves nothing, which is how
        /// the rebrand gets to collide with app-name.
        var declaresScope = true
    }

    static let agents = [
        Agent(id: "greeting", title: "Add a greeting", box: "1.1", files: ["app/greeting.txt": "Hello, world!\n"]),
        Agent(id: "farewell", title: "Add a farewell", box: "1.2", files: ["app/farewell.txt": "Goodbye!\n"]),
        Agent(id: "app-name", title: "Name the app", box: "1.3", files: ["app/config.txt": "name = Greeter\nport = 8080\n"]),
        Agent(id: "rebrand", title: "Rebrand the app", box: "1.4", files: ["app/config.txt": "name = Hello Machine\nport = 8080\n"],
              declaresScope: false),
    ]

    static let tasksFile = """
        # Demo change: a friendlier app

        - [ ] 1.1 Add a greeting (Files: app/greeting.txt)
        - [ ] 1.2 Add a farewell (Files: app/farewell.txt)
        - [ ] 1.3 Name the app (Files: app/config.txt)
        - [ ] 1.4 Rebrand the app (Files: app/config.txt)

        """

    public func run() async throws {
        say(.heading("A throwaway repository"))
        let repository = try makeRepository()
        say(.info("created \(directory) with app/config.txt and tasks.md (4 unchecked tasks) on main"))
        let workspace = try Workspace(discoverFrom: directory, target: "main")
        _ = try await Initializer(workspace: workspace).run()
        say(.command("gorch init"))

        say(.heading("Four tasks, four worktrees"))
        var worktrees: [TaskID: String] = [:]
        for agent in Self.agents {
            let id = try TaskID(agent.id)
            _ = try await TaskAdder(workspace: workspace).add(id, title: agent.title,
                                                              files: agent.declaresScope ? Array(agent.files.keys) : nil, after: [])
            let started = try await TaskStarter(workspace: workspace).start(id, base: nil, title: nil)
            worktrees[id] = started.worktree
            let files = agent.declaresScope ? " --files " + agent.files.keys.sorted().joined(separator: ",") : ""
            say(.command("gorch add \(agent.id) --title \(ShellQuoting.quote(agent.title))\(files) && gorch start \(agent.id)"))
            if !agent.declaresScope { say(.info("(no --files: an unknown scope reserves nothing, so nothing keeps it off app/config.txt)")) }
            say(.info("\(started.branch) in \(Self.relative(started.worktree, to: directory))"))
        }

        say(.heading("Agents work in parallel, each in its own worktree"))
        for agent in Self.agents {
            let id = try TaskID(agent.id)
            guard let path = worktrees[id] else { continue }
            try work(agent, in: path)
            _ = try await TaskFinisher(workspace: workspace).done(id)
            say(.info("\(agent.id): wrote \(agent.files.keys.sorted().joined(separator: ", ")), ticked \(agent.box) in tasks.md, committed"))
            say(.command("gorch done \(agent.id)"))
        }
        say(.status(try await StatusReporter(workspace: workspace).report()))

        say(.heading("The merge coordinator: one task at a time, validated before main moves"))
        let validate = "grep -q '^name = ' app/config.txt"
        say(.command("gorch merge --validate \(ShellQuoting.quote(validate))"))
        let say = self.say
        let coordinator = MergeCoordinator(workspace: workspace) { say(.merge($0)) }
        var options = MergeOptions()
        options.validate = [validate]
        let first = try await coordinator.merge(options)
        say(.mergeReport(first))

        guard let stop = first.stopped, let path = stop.worktree else {
            say(.info("no conflict this time"))
            return try await finish(workspace, repository)
        }
        say(.heading("A person (or agent) resolves the conflict in the task's worktree"))
        say(.info("\(stop.id) conflicts with main in \(stop.paths.joined(separator: ", ")); the conflict is in \(Self.relative(path, to: directory)):"))
        let conflicted = (try? String(contentsOfFile: (path as NSString).appendingPathComponent("app/config.txt"), encoding: .utf8)) ?? ""
        for line in conflicted.split(separator: "\n") { say(.info("  | \(line)")) }
        try Data("name = Hello Machine\nport = 8080\n".utf8).write(to: URL(fileURLWithPath: (path as NSString).appendingPathComponent("app/config.txt")))
        let resolution = try Repository.open(at: path).commitAll(message: "Merge branch 'main' into task/\(stop.id): keep the new name")
        say(.info("kept the rebrand, committed the merge as \(resolution.short())"))
        say(.command("gorch merge --continue"))
        if let resumed = try await coordinator.continueRun() {
            say(.mergeReport(resumed))
        }
        try await finish(workspace, repository)
    }

    private func finish(_ workspace: Workspace, _ repository: Repository) async throws {
        say(.heading("Done: every task merged, worktrees and branches cleaned up"))
        say(.status(try await StatusReporter(workspace: workspace).report()))
        var history: [(String, String)] = []
        var next = try repository.branchTarget("main")
        while let oid = next, history.count < 12 {
            let commit = try repository.commit(oid)
            history.append((oid.short(), commit.summary))
            next = commit.parents.first
        }
        say(.history(history))
    }

    private func makeRepository() throws -> Repository {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let repository = try Repository.create(at: directory)
        try repository.setConfigString("user.name", "gorch demo")
        try repository.setConfigString("user.email", "demo@gorch.invalid")
        try repository.setHead(branch: "main")
        try write(["README.md": "# Greeter\n\nA tiny app built by four agents.\n",
                   "app/config.txt": "name = demo\nport = 8080\n",
                   "tasks.md": Self.tasksFile], in: directory)
        try repository.commitAll(message: "Initial commit")
        return repository
    }

    /// A scripted agent: writes its files, ticks its box, commits (as `git commit -am` would).
    private func work(_ agent: Agent, in path: String) throws {
        var files = agent.files
        files["tasks.md"] = Self.tasksFile.replacingOccurrences(of: "- [ ] \(agent.box) ", with: "- [x] \(agent.box) ")
        try write(files, in: path)
        try Repository.open(at: path).commitAll(message: agent.title)
    }

    private func write(_ files: [String: String], in root: String) throws {
        for (relative, content) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
    }

    static func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
