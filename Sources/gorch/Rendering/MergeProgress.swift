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
        }
    }
}
