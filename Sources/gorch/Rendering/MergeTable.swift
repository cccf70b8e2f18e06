import GorchCore
import Rainbow

/// The summary of a merge run for people.
enum MergeTable {
    static func render(_ report: MergeReport, color: Bool) -> [String] {
        var lines = report.recovered.map { "recovered: \($0)" }
        for warning in report.warnings { lines.append("warning: \(warning)") }
        guard !report.tasks.isEmpty else {
            return lines + ["nothing to merge into \(report.target): no task is ready (`gorch done ID` marks one)"]
        }
        var table = Table(columns: [.init(title: "TASK"), .init(title: "OUTCOME"), .init(title: "COMMIT"), .init(title: "TITLE")])
        for result in report.tasks {
            table.add([.init(result.id.rawValue), .init(result.outcome.rawValue, style: TaskStyle.outcome(result.outcome)),
                       .init(result.commit.map { $0.short() } ?? "-"), .init(result.title)])
            for resolution in result.resolutions where result.outcome == .merged {
                table.addDetail("    resolved \(PathQuoting.quoted(resolution.path)): \(resolution.method)", style: { $0.lightBlack })
            }
            for conflict in result.conflicts {
                table.addDetail("    \(conflict.kind.rawValue): \(PathQuoting.quoted(conflict.path))", style: { $0.yellow })
            }
            if let failed = result.validation.last, result.outcome == .failed {
                for line in failed.tail.suffix(5) { table.addDetail("    | \(line)", style: { $0.lightBlack }) }
            }
            if let message = result.message, result.outcome != .merged && result.outcome != .notAttempted {
                table.addDetail("    \(Table.Cell.visible(message))")
            }
            for warning in result.warnings { table.addDetail("    warning: \(Table.Cell.visible(warning))", style: { $0.yellow }) }
        }
        lines += table.render(color: color)
        let before = report.before.map { $0.short() } ?? "?"
        let after = report.after.map { $0.short() } ?? "?"
        lines.append(before == after ? "\(report.target) unchanged at \(after)" : "\(report.target): \(before) -> \(after)")
        if report.validations > 0 {
            let landed = report.tasks.filter { $0.outcome == .merged || $0.outcome == .upToDate }.count
            let flaky = Set(report.tasks.compactMap { $0.validatedWith?.flaky == true ? $0.validatedWith?.commit : nil }).count
            lines.append("validations: \(report.validations) for \(landed) landed task\(landed == 1 ? "" : "s")"
                         + (flaky > 0 ? TaskStyle.paint("; \(flaky) passed only on a retry (flaky)", { $0.yellow }) : ""))
        }
        if let tracker = report.tracker { lines.append("tracker: \(tracker)") }
        lines += report.archive
        return lines
    }
}
