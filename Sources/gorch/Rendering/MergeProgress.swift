import GorchCore
import Rainbow

/// Live progress of `gorch merge` on stderr: one line per task and per step.
enum MergeProgress {
    static func show(_ event: MergeEvent) {
        switch event {
        case .task(let id, let title, let index, let count):
            // Titles and steps (which name paths) are shown with control characters escaped:
            // one line each, and nothing from a title or a file name drives the terminal.
            Output.errorLine(TaskStyle.paint("[\(index)/\(count)] \(id)", { $0.bold }) + (title.isEmpty ? "" : ": \(Table.Cell.visible(title))"))
        case .step(_, let text):
            Output.errorLine("      \(Table.Cell.visible(text))")
        case .finished(let result):
            let text = "      " + result.outcome.rawValue + (result.commit.map { " at \($0.short())" } ?? "")
            Output.errorLine(TaskStyle.paint(text, TaskStyle.outcome(result.outcome)))
        case .train, .validating, .validated, .landed:
            if let line = train(event) { Output.errorLine(TaskStyle.paint(line, { $0.bold })) }
        }
    }

    /// The merge train's lines: which prefix each lane validates, bisection rounds, landings.
    static func train(_ event: MergeEvent) -> String? {
        func span(_ ids: [TaskID]) -> String {
            ids.count <= 3 ? ids.map(\.rawValue).joined(separator: " ") : "\(ids[0]) .. \(ids[ids.count - 1]) (\(ids.count))"
        }
        switch event {
        case .train(let ids, let base):
            return "train of \(ids.count) on \(base.short()): \(ids.map(\.rawValue).joined(separator: " "))"
        case .validating(let lane, let prefix, let of, let round, let attempt):
            let what = prefix.count == of ? "the tip" : "prefix \(prefix.count)/\(of)"
            return "  round \(round), lane \(lane): validating \(what) (\(span(prefix)))" + (attempt > 1 ? ", attempt \(attempt)" : "")
        case .validated(let prefix, let passed, let flaky):
            return "  prefix \(prefix.count) (\(span(prefix))): " + (passed ? (flaky ? "passed on a retry (flaky)" : "passed") : "failed")
        case .landed(let ids, let commit):
            return "landed \(ids.count) at \(commit.short()): \(span(ids))"
        case .task, .step, .finished:
            return nil
        }
    }
}
