import GorchCore
import Rainbow

/// Prints the demo's story on stdout: headings, the commands a person would type, what happened.
enum DemoRenderer {
    static func show(_ event: DemoEvent, color: Bool) {
        func paint(_ text: String, _ style: (String) -> String) -> String { color ? style(text) : text }
        switch event {
        case .heading(let text):
            Output.line("")
            Output.line(paint("== \(text)", { $0.bold }))
        case .command(let text):
            Output.line(paint("$ \(text)", { $0.cyan }))
        case .info(let text):
            Output.line("  " + text)
        case .merge(let event):
            switch event {
            case .task(let id, _, let index, let count): Output.line("  [\(index)/\(count)] \(id)")
            case .step(_, let text): Output.line("        \(text)")
            case .finished(let result):
                Output.line(paint("        \(result.outcome.rawValue)" + (result.commit.map { " at \($0.short())" } ?? ""),
                                  TaskStyle.outcome(result.outcome)))
            case .train, .validating, .validated, .landed:
                if let line = MergeProgress.train(event) { Output.line("  " + line) }
            }
        case .mergeReport(let report):
            Output.lines(MergeTable.render(report, color: color).map { "  " + $0 })
        case .status(let report):
            Output.lines(StatusTable.render(report, color: color).map { "  " + $0 })
        case .history(let commits):
            Output.line("  history of main:")
            Output.lines(commits.map { "    \(paint($0.0, { $0.yellow })) \($0.1)" })
        }
    }
}
