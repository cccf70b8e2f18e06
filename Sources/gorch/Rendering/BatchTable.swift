import GorchCore
import Rainbow

/// `gorch batch` for people: each pick and each skip with its reason.
enum BatchTable {
    static func render(_ decision: Batcher.Decision, color: Bool) -> [String] {
        let lines = ["candidates from \(decision.source)"]
        guard !decision.picks.isEmpty || !decision.skips.isEmpty else { return lines + ["nothing is ready"] }
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
        return lines + table.render(color: color)
    }
}
