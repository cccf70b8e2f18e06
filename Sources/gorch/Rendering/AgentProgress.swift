import Foundation
import GorchCore
import Rainbow

/// Live progress of running agents on a terminal (stderr): a table of state, elapsed time,
/// commits ahead and the log's last line, redrawn every second in place. Without a terminal, one
/// line per agent when it finishes (the caller prints those).
final class AgentProgress: @unchecked Sendable {
    let board: AgentBoard
    private var drawn = 0
    private var task: Task<Void, Never>?

    init(board: AgentBoard) {
        self.board = board
    }

    static var isLive: Bool { isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" }

    func start() {
        guard Self.isLive else { return }
        task = Task { [weak self] in
            while !Task.isCancelled {
                await self?.draw()
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Stops redrawing and draws the final state once.
    func stop() async {
        task?.cancel()
        task = nil
        if Self.isLive { await draw() }
        drawn = 0
    }

    /// Stops redrawing, leaving the last table as it is (the caller prints what comes next).
    func halt() {
        task?.cancel()
        task = nil
        drawn = 0
    }

    private func draw() async {
        let rows = await board.snapshot()
        guard !rows.isEmpty else { return }
        var table = Table(columns: [.init(title: "AGENT"), .init(title: "STATE"), .init(title: "ELAPSED", alignment: .right),
                                    .init(title: "AHEAD", alignment: .right), .init(title: "LAST LOG LINE")])
        let now = Date()
        for (id, entry) in rows {
            let elapsed = entry.started.map { Int((entry.finished ?? now).timeIntervalSince($0)) }.map { "\($0 / 60)m\(String(format: "%02d", $0 % 60))s" } ?? "-"
            let style: ((String) -> String)? = switch entry.state {
            case "ready": { $0.green }
            case "failed", "timed out", "interrupted": { $0.red }
            case "running": { $0.cyan }
            default: nil
            }
            table.add([.init(id.rawValue), .init(entry.state, style: style), .init(elapsed), .init(String(entry.ahead)),
                       .init(String(entry.lastLine.prefix(60)))])
        }
        let lines = table.render(color: Output.usesColor)
        var text = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
        text += lines.map { "\u{1B}[2K" + $0 }.joined(separator: "\n") + "\n"
        drawn = lines.count
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Ctrl-C while agents run: cancel the work (which kills every agent's process group and records
/// the tasks), instead of dying and leaving orphans.
enum Interrupts {
    static func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let work = Task { try await body() }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            Output.errorLine("interrupted: stopping the agents and recording their state…")
            work.cancel()
        }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        return try await work.value
    }
}
