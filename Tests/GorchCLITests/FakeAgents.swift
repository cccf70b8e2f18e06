import Foundation
import GorchTestSupport

/// Fake `claude`, `codex`, `opencode`, `gemini` and `aider` in a temporary `bin/` to put first on
/// PATH. Each reads its prompt where the real CLI does (aider: the --message-file argument; the
/// others: stdin), records its argv (NUL-separated) and prompt under `log/<task>.<name>.argv` and
/// `.prompt`, exits 9 unless the prompt names the task, then writes `<task>.<name>.txt` in the
/// worktree; the fake aider commits it, as the real one does.
final class FakeAgents {
    static let names = ["claude", "codex", "opencode", "gemini", "aider"]

    let directory: TempDirectory
    var bin: String { directory.path + "/bin" }
    var log: String { directory.path + "/log" }
    /// PATH with the fakes first, and where they record.
    var environment: [String: String] {
        ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"), "FAKE_AGENT_LOG": log]
    }

    init(_ names: [String] = FakeAgents.names, label: String = #function) throws {
        directory = try TempDirectory(label: "fake-agents-" + label)
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: true)
        for name in names {
            let path = bin + "/" + name
            try Self.script(name).write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }

    static func script(_ name: String) -> String {
        let readPrompt = name == "aider"
            ? #"while [ $# -gt 0 ]; do [ "$1" = --message-file ] && { cat "$2" > "$out.prompt"; break; }; shift; done"#
            : #"cat > "$out.prompt""#
        let commit = name == "aider" ? #"git add -A && git commit -q -m "aider: $GORCH_TASK_ID""# : "true"
        return """
            #!/bin/sh
            out="$FAKE_AGENT_LOG/$GORCH_TASK_ID.\(name)"
            for word in "$@"; do printf '%s\\000' "$word"; done > "$out.argv"
            \(readPrompt)
            grep -q "Task $GORCH_TASK_ID on branch" "$out.prompt" || { echo "fake \(name): no task in the prompt" >&2; exit 9; }
            echo "\(name) did $GORCH_TASK_ID" > "$GORCH_TASK_ID.\(name).txt"
            \(commit)

            """
    }

    /// The argv `name` got for task `id`, nil when it did not run.
    func argv(_ name: String, task id: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "\(log)/\(id).\(name).argv") else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The prompt `name` read for task `id`.
    func prompt(_ name: String, task id: String) -> String? {
        try? String(contentsOfFile: "\(log)/\(id).\(name).prompt", encoding: .utf8)
    }
}
