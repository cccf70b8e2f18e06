import Foundation

/// Which `bd` the fake plays: v0.49.6 (`bd sync`, JSONL in git), v1.0.5 (Dolt, `bd export`, no `bd sync`),
/// v1.3.0 (Dolt plus leases, migration freeze and `bd sync` as a federation loop) or beads_rust `br` v0.5.7
/// (answering as `bd`, the way Agent Mail's installer aliases it, and as `br`).
public enum FakeBeadsEra: String, Sendable {
    case legacy
    case dolt
    case v13
    case br
}

/// Fake `bd`, `bv` and `openspec` (Python scripts in `Tests/Fakes/`, shapes from `shared/contracts.md`)
/// behind a private `bin/` directory to put first on `PATH`.
///
/// Every call is appended to one log file as a JSON array `["bd", args...]`; `calls(_:)` reads it back.
/// State lives with the repository (`.beads/fake-bd.json`, `.beads/issues.jsonl`, `openspec/`), so the
/// same `FakeTools` can serve several repositories. Behaviour switches go into `environment`:
/// `FAKE_BD_ERA`, `FAKE_BD_DELAY`, `FAKE_BD_GARBAGE`, `FAKE_BD_FAIL=<command>`, `FAKE_BD_NOW`,
/// `FAKE_BD_STATE`, `FAKE_BD_LEASE_TTL`, `FAKE_BD_SYNC`, `FAKE_BD_PROXIED`, `BD_MIGRATION_FREEZE_FILE`,
/// `FAKE_BV_WRAPPER=old`, `FAKE_BV_DELAY`, `FAKE_BV_GARBAGE`, `FAKE_OPENSPEC_DELAY`,
/// `FAKE_OPENSPEC_GARBAGE`, `FAKE_OPENSPEC_DATE` (Tests/Fakes/README.md).
public struct FakeTools: Sendable {
    public enum Tool: String, Sendable, Hashable, CaseIterable {
        /// `br` is the same fake as `bd`; its wrapper is written only for the `.br` era.
        case bd, bv, openspec, br
    }

    public let era: FakeBeadsEra
    /// A temporary directory holding one executable wrapper per included tool.
    public let bin: String
    /// The call log shared by the three fakes.
    public let log: String
    /// This process's environment with `bin` first on `PATH`, the `FAKE_*_LOG` variables pointing at `log`,
    /// `FAKE_BD_ERA` set, `BD_ACTOR=tester` (so bd never asks git for user.name), and any inherited
    /// `FAKE_*`, `BEADS_ACTOR`, `BD_ACTOR`, `BD_JSON_ENVELOPE` and `BD_MIGRATION_FREEZE_FILE` removed.
    public var environment: [String: String]
    private let directory: TempDirectory

    /// `Tests/Fakes`, found from this source file's path.
    public static let fakesDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fakes").path

    public init(era: FakeBeadsEra = .dolt, include: Set<Tool> = [.bd, .bv, .openspec]) throws {
        self.era = era
        directory = try TempDirectory(label: "fake-tools")
        bin = directory.path + "/bin"
        log = directory.path + "/calls.log"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let python = FakeTools.python
        var wrappers = include.subtracting([.br])
        if era == .br, !include.isDisjoint(with: [.bd, .br]) { wrappers.insert(.br) }
        for tool in wrappers {
            // The br wrapper runs the bd fake and tells it which name to log the call under.
            let prefix = tool == .br ? "FAKE_BD_PROG=br " : ""
            let source = FakeTools.fakesDirectory + "/" + (tool == .br ? Tool.bd : tool).rawValue
            let text = "#!/bin/sh\n\(prefix)exec \(FakeTools.quote(python)) -S \(FakeTools.quote(source)) \"$@\"\n"
            let path = bin + "/" + tool.rawValue
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("FAKE_") && !["BEADS_ACTOR", "BD_ACTOR", "BD_JSON_ENVELOPE", "BD_MIGRATION_FREEZE_FILE"].contains(key)
        }
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        env["FAKE_BD_LOG"] = log
        env["FAKE_BV_LOG"] = log
        env["FAKE_OPENSPEC_LOG"] = log
        env["FAKE_BD_ERA"] = era.rawValue
        env["BD_ACTOR"] = "tester"
        environment = env
    }

    /// The arguments of every logged call of `tool`, oldest first, without the tool name.
    public func calls(_ tool: Tool) -> [[String]] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let argv = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String],
                  argv.first == tool.rawValue else { return nil }
            return Array(argv.dropFirst())
        }
    }

    /// Empties the call log.
    public func clearLog() throws {
        try Data().write(to: URL(fileURLWithPath: log))
    }

    /// Runs a fake (by name from `bin`) in `cwd` with `environment` plus `env`.
    @discardableResult
    public func run(_ tool: Tool, _ args: [String], cwd: String, env: [String: String] = [:]) throws -> ShellResult {
        try Shell.run(bin + "/" + tool.rawValue, args, cwd: cwd, env: environment.merging(env) { $1 })
    }

    /// The interpreter behind `python3`, resolved once: a pyenv shim costs ~300 ms per start, the
    /// interpreter itself ~20 ms. `FAKE_PYTHON` overrides.
    static let python: String = {
        if let forced = ProcessInfo.processInfo.environment["FAKE_PYTHON"], !forced.isEmpty { return forced }
        if let result = try? Shell.run("python3", ["-c", "import sys; print(sys.executable)"]),
           result.status == 0 {
            let path = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Shell.which("python3") ?? "/usr/bin/python3"
    }()

    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
