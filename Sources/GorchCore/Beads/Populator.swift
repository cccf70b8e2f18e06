import Adapters
import Foundation

/// `gorch populate <change>`: one Beads issue per unchecked task of an OpenSpec change, and the
/// dependency links between them (DESIGN.md "Commands"). Idempotent through the labels
/// `openspec:<change>` and `task:<N.M>`: running it twice creates nothing new.
public struct Populator {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct Issue: Sendable, Equatable {
        public let number: String
        public let id: String
        public let title: String
        public let phase: Int
        /// Whether this run created it.
        public let created: Bool
    }

    public struct Link: Sendable, Equatable {
        /// The blocked issue (`bd dep add <issue> <dependsOn>`).
        public let issue: String
        public let dependsOn: String
        public let created: Bool
    }

    public struct Result: Sendable {
        public let change: String
        public let issues: [Issue]
        public let links: [Link]
        /// Dependency cycles found (own check, plus `bv --robot-insights` when installed).
        public let cycles: [[String]]
        public let warnings: [String]
    }

    public static func labels(change: String, number: String) -> [String] {
        ["openspec:\(change)", "task:\(number)"]
    }

    /// No flag: create every phase's issues and the links; `phase`: that phase's issues only, no
    /// links (several may run at once); `linkOnly`: the links only.
    public func populate(change: String, phase: Int?, linkOnly: Bool) async throws -> Result {
        guard let client = workspace.beads else {
            throw GorchFailure(.environment, "gorch populate creates Beads issues, but this repository is not in Beads mode",
                               hint: "install bd and run `bd init` (gorch uses Beads when bd is on PATH and .beads/ exists), "
                                   + "or `git config gorch.tracker beads`")
        }
        let root = try workspace.requireMainWorkTree(for: "gorch populate")
        let plan = try ChangePlanner.load(change: change, root: root)
        if let phase, !plan.document.phases.contains(where: { $0.number == phase }) {
            throw GorchFailure(.usage, "change \(change) has no phase \(phase)",
                               hint: "its phases: \(plan.document.phases.map { String($0.number) }.joined(separator: ", "))")
        }
        // Runs at once (several phases, or one phase twice) are serialised from the lookup of the
        // existing issues on: bd calls alone are, but two runs could both find a task missing and
        // both create it (ConcurrencyPopulateTests).
        let lock = try FileLock.acquire(at: (workspace.paths.root as NSString).appendingPathComponent("locks/populate.lock"),
                                        waitingUpTo: 300, what: "gorch populate")
        defer { lock.unlock() }
        var existing = try await existingIssues(client, change: change)
        var issues: [Issue] = []
        for section in plan.document.phases where phase == nil || section.number == phase {
            for task in section.tasks where !task.done {
                if let id = existing[task.number] {
                    issues.append(Issue(number: task.number, id: id.id, title: id.title, phase: section.number, created: false))
                    continue
                }
                guard !linkOnly else { continue }
                let title = "\(task.number) \(task.text)"
                var description = "OpenSpec change \(change), task \(task.number) (openspec/changes/\(change)/tasks.md)."
                if let files = task.files { description += "\nFiles: \(files.joined(separator: ", "))" }
                let issue = try await client.create(title: title, description: description, type: "task",
                                                    labels: Self.labels(change: change, number: task.number))
                existing[task.number] = issue
                Fault.point(.populateCreated)
                issues.append(Issue(number: task.number, id: issue.id, title: title, phase: section.number, created: true))
            }
        }
        var links: [Link] = []
        if phase == nil {
            links = try await link(client, plan: plan.document, existing: existing)
        }
        let ids = issues.map(\.id)
        var cycles = try await ownCycles(client, ids: ids)
        var warnings: [String] = []
        let viewer = workspace.viewer(in: try await TrackerSync.viewerDirectory(workspace))
        if viewer.isInstalled {
            do {
                if let found = try await viewer.cycles() { cycles += found.filter { !cycles.contains($0) } }
            } catch {
                warnings.append("bv --robot-insights failed: \(error)")
            }
        }
        return Result(change: change, issues: issues, links: links, cycles: cycles, warnings: warnings)
    }

    /// Issues already created for this change, by task number.
    private func existingIssues(_ client: BeadsClient, change: String) async throws -> [String: BeadsIssue] {
        var byNumber: [String: BeadsIssue] = [:]
        for issue in try await client.list(all: true).filter({ ($0.labels ?? []).contains("openspec:\(change)") }) {
            guard let label = issue.labels?.first(where: { $0.hasPrefix("task:") }) else { continue }
            byNumber[String(label.dropFirst(5))] = byNumber[String(label.dropFirst(5))] ?? issue
        }
        return byNumber
    }

    /// Every phase k+1 task blocked by every phase k task, plus `(after N.M)` links, skipping
    /// links that exist. Only unchecked tasks (checked ones have no issue).
    private func link(_ client: BeadsClient, plan: TasksDocument, existing: [String: BeadsIssue]) async throws -> [Link] {
        var wanted: [(String, String)] = []
        let phases = plan.phases.filter { !$0.tasks.isEmpty }
        for (earlier, later) in zip(phases, phases.dropFirst()) {
            for blocked in later.tasks where !blocked.done {
                for blocker in earlier.tasks where !blocker.done {
                    if let a = existing[blocked.number]?.id, let b = existing[blocker.number]?.id { wanted.append((a, b)) }
                }
            }
        }
        for task in plan.tasks where !task.done {
            for number in task.after {
                if let a = existing[task.number]?.id, let b = existing[number]?.id, !wanted.contains(where: { $0 == (a, b) }) {
                    wanted.append((a, b))
                }
            }
        }
        guard !wanted.isEmpty else { return [] }
        let shown = try await client.show(Array(Set(wanted.map(\.0))).sorted())
        var present: Set<String> = []
        for issue in shown {
            for dependency in issue.dependencies ?? [] where dependency.type == nil || dependency.type == "blocks" {
                if let other = dependency.dependsOnID ?? dependency.id { present.insert(issue.id + " " + other) }
            }
        }
        var links: [Link] = []
        for (issue, dependsOn) in wanted {
            let exists = present.contains(issue + " " + dependsOn)
            if !exists {
                try await client.addDependency(issue, dependsOn: dependsOn, type: "blocks")
                Fault.point(.populateLinked)
            }
            links.append(Link(issue: issue, dependsOn: dependsOn, created: !exists))
        }
        return links
    }

    /// Cycles among the given issues' `blocks` dependencies (depth-first search).
    private func ownCycles(_ client: BeadsClient, ids: [String]) async throws -> [[String]] {
        guard !ids.isEmpty else { return [] }
        var edges: [String: [String]] = [:]
        for issue in try await client.show(ids) {
            edges[issue.id] = (issue.dependencies ?? []).compactMap { dependency in
                guard dependency.type == nil || dependency.type == "blocks" else { return nil }
                return dependency.dependsOnID ?? dependency.id
            }
        }
        var cycles: [[String]] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ node: String) {
            state[node] = 1
            stack.append(node)
            for next in edges[node] ?? [] {
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    cycles.append(Array(stack[start...]))
                } else if state[next] == nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[node] = 2
        }
        for id in ids.sorted() where state[id] == nil { visit(id) }
        return cycles
    }
}
