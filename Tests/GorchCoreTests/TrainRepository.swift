import Foundation
import GitKit
import GorchCore
import GorchTestSupport

/// One repository built from a `TrainQueueSpec`, ending exactly as `gorch init`, then per task
/// `gorch start [--base task/<b>]`, an agent's `git add -A && git commit`, `gorch done` (and for
/// some a person's `git merge --no-ff` into main) would leave it. gorch's steps run in-process
/// (the same code as the commands), the agents' commits with a fixed identity and date, so
/// building one spec twice gives the same task commits, byte for byte, in two places.
final class TrainRepository {
    /// Fails on any tree that holds a BROKEN-* file: deterministic, and a failure persists in
    /// every later prefix (DESIGN.md's condition for the train rule).
    static let validation = "! ls BROKEN-* >/dev/null 2>&1"
    /// The agents' identity and clock, fixed (as Shell.gitEnvironment's): equal builds, equal commits.
    static let agent = Signature(name: "Test", email: "test@example.com", time: Date(timeIntervalSince1970: 1_704_067_200),
                                 offsetMinutes: 0)

    /// Where the fixtures go: `GORCH_TRAIN_TMPDIR` if set (empty: the system temp dir), else
    /// /dev/shm when it is a writable tmpfs with 256 MB free, else the system temp dir. Each run
    /// creates and deletes some 300 files; on a busy ext4 /tmp, inode allocation among recently
    /// deleted inodes (ext4's find_inode_bit) was three quarters of the suite's CPU time, and 24
    /// queues took 35 s there against 7 s on tmpfs. git and gorch behave the same on either.
    static let fixtureParent: String? = {
        if let chosen = ProcessInfo.processInfo.environment["GORCH_TRAIN_TMPDIR"] { return chosen.isEmpty ? nil : chosen }
        var stats = statvfs()
        guard access("/dev/shm", W_OK) == 0, statvfs("/dev/shm", &stats) == 0,
              UInt64(stats.f_bavail) * UInt64(stats.f_frsize) >= 256 << 20 else { return nil }
        return "/dev/shm"
    }()

    let spec: TrainQueueSpec
    let directory: TempDirectory
    var path: String { directory.path }

    /// `config`: git config set before any gorch step reads the settings (gorch.validateRetries...).
    init(_ spec: TrainQueueSpec, label: String, config: [String: String] = [:]) async throws {
        self.spec = spec
        directory = try TempDirectory(label: label, parent: Self.fixtureParent)
        let repository = try Repository.create(at: directory.path)
        try repository.setHead(branch: "main")
        try repository.setConfigString("user.name", Self.agent.name)
        try repository.setConfigString("user.email", Self.agent.email)
        for (key, value) in config.sorted(by: { $0.key < $1.key }) { try repository.setConfigString(key, value) }
        try Self.write("README.md", "# train\n", in: path)
        try Self.write("shared.txt", (1...spec.lines).map { "line \($0)\n" }.joined(), in: path)
        try Self.write("tasks.md", "# Tasks\n\n" + spec.tasks.enumerated().map { "- [ ] 1.\($0.offset + 1) \($0.element.id)\n" }.joined(),
                       in: path)
        _ = try repository.commitAll(message: "initial", author: Self.agent)
        let workspace = try Workspace(discoverFrom: path, target: "main")
        _ = try await Initializer(workspace: workspace).run()
        for (index, task) in spec.tasks.enumerated() {
            let id = try TaskID(task.id)
            let started = try await TaskStarter(workspace: workspace).start(id, base: task.base.map { "task/" + $0 }, title: nil)
            try work(task, box: index + 1, in: started.worktree)
            _ = try await TaskFinisher(workspace: workspace).done(id)
            if task.landedByHand {
                try Shell.git(["merge", "--no-ff", "-q", "-m", "a person merges \(task.id)", "task/\(task.id)"], cwd: path)
            }
        }
    }

    private static func write(_ name: String, _ text: String, in root: String) throws {
        let file = (root as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    }

    /// The agent: its own file, the marker if it is a culprit, its line of shared.txt, its box;
    /// then `git add -A && git commit` (in-process, fixed identity and date).
    private func work(_ task: TrainQueueSpec.Task, box: Int, in worktree: String) throws {
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: (worktree as NSString).appendingPathComponent(name), encoding: .utf8)
        }
        try Self.write("src/\(task.id).txt", "\(task.id)\n", in: worktree)
        if task.culprit { try Self.write("BROKEN-\(task.id)", "broken by \(task.id)\n", in: worktree) }
        if let line = task.line {
            var lines = try read("shared.txt").split(separator: "\n").map(String.init)
            lines[line - 1] = "line \(line) by \(task.id)"
            try Self.write("shared.txt", lines.joined(separator: "\n") + "\n", in: worktree)
        }
        if task.tick {
            try Self.write("tasks.md", try read("tasks.md").replacingOccurrences(of: "- [ ] 1.\(box) ", with: "- [x] 1.\(box) "),
                           in: worktree)
        }
        _ = try Repository.open(at: worktree).commitAll(message: "work on \(task.id)", author: Self.agent)
    }

    /// Every task branch and its commit: equal for two builds of one spec (the build is deterministic).
    func taskTips() throws -> [String] {
        let repository = try Repository.open(at: path)
        return try repository.branches().filter { $0.hasPrefix("task/") }.sorted()
            .map { "\($0) \(try repository.branchTarget($0)?.hex ?? "-")" }
    }

    /// `gorch merge <queue> --validate CMD [--keep-going] --batch N --lanes L`, in-process, with a
    /// workspace opened afresh as a new command would.
    func merge(batch: Int, lanes: Int, validate: [String] = [TrainRepository.validation],
               keepGoing: Bool? = nil) async throws -> MergeReport {
        let workspace = try Workspace(discoverFrom: path, target: "main")
        var options = MergeOptions()
        options.ids = try spec.queue.map { try TaskID($0) }
        options.validate = validate
        options.keepGoing = keepGoing ?? spec.keepGoing
        options.batch = batch
        options.lanes = lanes
        return try await MergeCoordinator(workspace: workspace).merge(options)
    }

    /// What the run left, in the terms the train rule compares.
    func outcome(_ report: MergeReport) async throws -> TrainOutcome {
        let workspace = try Workspace(discoverFrom: path, target: "main")
        let repository = workspace.repository
        var outcome = TrainOutcome()
        var next = try repository.branchTarget("main")
        while let oid = next {
            let commit = try repository.commit(oid)
            outcome.trees.append(commit.tree.hex)
            outcome.firstParentCommits.insert(oid.hex)
            next = commit.parents.first
        }
        for task in try await workspace.store.list() { outcome.states[task.id.rawValue] = task.state.rawValue }
        for result in report.tasks { outcome.outcomes[result.id.rawValue] = result.outcome.rawValue }
        outcome.stopped = report.stopped?.id.rawValue
        let worktrees = (path as NSString).appendingPathComponent(".worktrees")
        outcome.worktrees = ((try? FileManager.default.contentsOfDirectory(atPath: worktrees)) ?? []).sorted()
        outcome.branches = try repository.branches().filter { $0.hasPrefix("task/") }.sorted()
        for task in spec.tasks where FileManager.default.fileExists(atPath: "\(path)/.git/worktrees/wt-\(task.id)/MERGE_HEAD") {
            // The hand-back as a person finds it (git's view): what was merged in, the index, the markers.
            let worktree = "\(worktrees)/wt-\(task.id)"
            let mergedIn = try Shell.git(["rev-parse", "MERGE_HEAD^{tree}"], cwd: worktree)
            let status = try Shell.git(["status", "--porcelain"], cwd: worktree)
            let diff = try Shell.git(["diff"], cwd: worktree)
            outcome.handedBack[task.id] = "MERGE_HEAD tree \(mergedIn)\n\(status)\n\(diff)"
        }
        outcome.checkout = try Shell.git(["status", "--porcelain"], cwd: path)
        return outcome
    }
}

/// The end state the train rule compares between a serial and a batched run.
struct TrainOutcome: Equatable {
    /// `git log --first-parent --format=%T main`, newest first.
    var trees: [String] = []
    /// Every task's state in the store.
    var states: [String: String] = [:]
    /// Every task's outcome in the report.
    var outcomes: [String: String] = [:]
    /// Tasks with MERGE_HEAD in their worktree, with what a person finds there.
    var handedBack: [String: String] = [:]
    /// Task worktrees and branches left.
    var worktrees: [String] = []
    var branches: [String] = []
    /// The task an open run stopped on.
    var stopped: String?
    /// `git status --porcelain` of the main checkout (empty: it shows the target's tree).
    var checkout = ""
    /// Not compared (merge commits differ in their dates): where validated commits must lie.
    var firstParentCommits: Set<String> = []

    static func == (a: TrainOutcome, b: TrainOutcome) -> Bool {
        a.trees == b.trees && a.states == b.states && a.outcomes == b.outcomes && a.handedBack == b.handedBack
            && a.worktrees == b.worktrees && a.branches == b.branches && a.stopped == b.stopped && a.checkout == b.checkout
    }

    /// The fields that differ, for a failure message.
    func differences(from other: TrainOutcome) -> [String] {
        var found: [String] = []
        func note<T: Equatable>(_ name: String, _ a: T, _ b: T) {
            if a != b { found.append("\(name): serial \(a) | batched \(b)") }
        }
        note("first-parent trees", trees, other.trees)
        note("states", states.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
             other.states.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        note("outcomes", outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
             other.outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        note("handed back", handedBack.keys.sorted(), other.handedBack.keys.sorted())
        for id in handedBack.keys where other.handedBack[id] != nil && other.handedBack[id] != handedBack[id] {
            found.append("hand-back of \(id) differs:\n\(handedBack[id] ?? "")\n---\n\(other.handedBack[id] ?? "")")
        }
        note("worktrees", worktrees, other.worktrees)
        note("branches", branches, other.branches)
        note("stopped on", stopped ?? "-", other.stopped ?? "-")
        note("main checkout status", checkout, other.checkout)
        return found
    }
}
