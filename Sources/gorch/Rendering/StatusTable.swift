import Foundation
import GorchCore
import Rainbow

/// `gorch status` for people: one row per task, notes under failed and conflicted ones, then
/// the open merge run if any.
enum StatusTable {
    static func render(_ report: StatusReporter.Report, color: Bool) -> [String] {
        var lines = ["target: \(report.target)   tasks: \(report.store) store"]
        guard !report.tasks.isEmpty else {
            return lines + ["no tasks yet: `gorch add ID` plans one, `gorch start ID` starts one"]
        }
        var table = Table(columns: [.init(title: "ID"), .init(title: "STATE"), .init(title: "AHEAD", alignment: .right),
                                    .init(title: "BEHIND", alignment: .right), .init(title: "DIRTY"),
                                    .init(title: "AGENT"), .init(title: "CONFLICTS WITH"), .init(title: "LANDS"), .init(title: "TITLE")])
        for status in report.tasks {
            let task = status.task
            table.add([.init(task.id.rawValue), .init(task.state.rawValue, style: TaskStyle.state(task.state)),
                       .init(status.ahead.map(String.init) ?? "-"), .init(status.behind.map(String.init) ?? "-"),
                       .init(status.dirty.map { $0 ? "yes" : "no" } ?? "-", style: status.dirty == true ? { $0.yellow } : nil),
                       .init(status.agent.map { "running \(Int(Date().timeIntervalSince($0.started)))s" } ?? "-",
                             style: status.agent == nil ? nil : { $0.cyan }),
                       .init(status.conflictsWith.map(\.rawValue).joined(separator: ","), style: { $0.yellow }),
                       lands(status.lands), .init(task.title)])
            if let landing = status.lands, !landing.clean, !landing.conflicts.isEmpty {
                table.addDetail("    conflicts when landed after the queue ahead: "
                                + landing.conflicts.map(PathQuoting.quoted).joined(separator: ", "), style: { $0.yellow })
            }
            if let note = task.note, task.state == .failed || task.state == .conflicted {
                table.addDetail("    \(note)", style: { $0.lightBlack })
            } else if task.state.isActive && !status.branchExists {
                table.addDetail("    branch \(task.branch) is missing", style: { $0.red })
            }
        }
        lines += table.render(color: color)
        if let run = report.interrupted {
            lines.append("")
            let task = run.task.map { "task \($0)" } ?? "no task in flight"
            switch run.reason {
            case "running":
                lines.append("merge run in progress (pid \(run.pid)): \(task)\(run.step.map { ", \($0)" } ?? "")")
            case "interrupted":
                lines.append(TaskStyle.paint("merge run interrupted", { $0.red }) + " at \(task)\(run.step.map { ", step \($0)" } ?? "")"
                             + ": `gorch merge --continue` or `gorch merge --abort`")
            default:
                lines.append(TaskStyle.paint("merge run stopped", { $0.yellow }) + ": \(task) has a \(run.reason)"
                             + (run.worktree.map { " in \($0)" } ?? "") + "; resolve and commit there, then `gorch merge --continue`")
            }
            let after = run.remaining.filter { $0 != run.task }
            if !after.isEmpty { lines.append("  queued after it: \(after.map(\.rawValue).joined(separator: ", "))") }
        }
        if let train = report.train {
            lines.append("train of \(train.tasks.count): \(train.tasks.map(\.rawValue).joined(separator: " "))"
                         + (train.landing.map { ", landing the first \($0)" } ?? ", validation round \(train.round)"))
            for lane in train.lanes {
                lines.append("  lane \(lane.lane): prefix \(lane.prefix) (up to \(train.tasks[min(lane.prefix, train.tasks.count) - 1])) \(lane.state.rawValue)")
            }
        }
        if !report.flaky.isEmpty {
            let last = report.flaky[report.flaky.count - 1]
            lines.append(TaskStyle.paint("flaky validation", { $0.yellow }) + ": \(report.flaky.count) recent pass\(report.flaky.count == 1 ? "" : "es") "
                         + "only on a retry; latest \(last.commit.prefix(7)) (\(last.tasks.map(\.rawValue).joined(separator: " "))) "
                         + "after \(last.attempts) attempts; see .git/gorch/flaky.json")
        }
        return lines
    }

    /// A ready task's place in the merge queue and whether it lands there cleanly (after the
    /// tasks ahead of it, conflicting ones left out); `-` for the others.
    private static func lands(_ landing: Landing?) -> Table.Cell {
        guard let landing else { return .init("-") }
        return landing.clean ? .init("#\(landing.position) clean", style: { $0.green })
                             : .init("#\(landing.position) conflict", style: { $0.red })
    }
}
