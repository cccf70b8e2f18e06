import GorchCore
import Rainbow

/// `gorch batch` for people: each pick and each skip with its reason.
enum BatchTable {
    static func render(_ decision: Batcher.Decision, color: Bool) -> [String] {
        let lines = ["candidates from \(decision.source)"]
        guard !decision.picks.isEmpty || !decision.skips.isEmpty else { return lines + ["nothing is ready"] + queue(decision.queue) }
        var table = Table(columns: [.init(title: ""), .init(title: "TASK"), .init(title: "TRACK"), .init(title: "SCOPE"), .init(title: "TITLE")])
        func scope(_ candidate: Batcher.Candidate) -> String { candidate.scope?.joined(separator: ",") ?? "(unknown)" }
        for pick in decision.picks {
            table.add([.init("pick", style: { $0.green }), .init(pick.id.rawValue), .init(pick.track ?? "-"), .init(scope(pick)), .init(pick.title)])
        }
        for (candidate, reason) in decision.skips {
            table.add([.init("skip", style: { $0.yellow }), .init(candidate.id.rawValue), .init(candidate.track ?? "-"),
                       .init(scope(candidate)), .init(candidate.title)])
            table.addDetail("      \(reason)", style: { $0.lightBlack })
        }
        return lines + table.render(color: color) + queue(decision.queue)
    }

    /// The ready tasks in merge-queue order and whether each lands cleanly after those ahead
    /// (the files a clean one's landing changes are what candidates were checked against).
    private static func queue(_ queue: [Landing]) -> [String] {
        guard !queue.isEmpty else { return [] }
        return ["merge queue, landed in order:"] + queue.map { landing in
            let verdict = landing.clean ? TaskStyle.paint("clean", { $0.green })
                : TaskStyle.paint("conflict", { $0.red })
                    + (landing.conflicts.isEmpty ? "" : ": " + landing.conflicts.map(PathQuoting.quoted).joined(separator: ", "))
            return "  #\(landing.position) \(landing.id): \(verdict)"
        }
    }
}
