import Foundation
import GitKit

/// gorch's `gorch.*` settings, read and checked once when a command's context is made, so a
/// bad value stops the command before it changes anything (exit 2 naming the key and what it
/// may be) instead of surfacing halfway through a run, or being silently replaced by a default.
/// Multi-valued settings (`gorch.validate`, `gorch.copy`, `gorch.setup`) stay with their users;
/// the per-path `gorch.resolve` rules are parsed here, once, for every merge of the run.
public struct Settings: Sendable {
    /// `gorch.toolTimeout`: one call of bd, bv or openspec (default 60 s).
    public var toolTimeout: Duration = .seconds(60)
    /// `gorch.agentTimeout`: one agent run (default 1 h).
    public var agentTimeout: Duration = .seconds(3600)
    /// `gorch.validateTimeout`: one validation step (default 30 min).
    public var validateTimeout: Duration = .seconds(1800)
    /// `gorch.setupTimeout`: one bootstrap setup command (default 10 min).
    public var setupTimeout: Duration = .seconds(600)
    /// `gorch.agentMail.timeout`: one call to Agent Mail (default 15 s).
    public var agentMailTimeout: Duration = .seconds(15)
    /// `gorch.beads.heartbeat`: how often a running agent's Beads claim is renewed (bd >= 1.3
    /// leases; default 60 s, a fifth of bd's 5-minute lease so one missed beat costs nothing).
    public var heartbeat: Duration = .seconds(60)
    /// `gorch.reservationTTL`: seconds a file reservation lives before it must be renewed (default 3600).
    public var reservationTTL = 3600
    /// `gorch.portBase`: the first port handed to tasks (default 41000).
    public var portBase = 41000
    /// `gorch.archive`: what sync does with a completed OpenSpec change.
    public var archive = Archive.never
    /// `gorch.batch`: tasks per merge train, validated together (default 1: one validation per task).
    public var batch = 1
    /// `gorch.validateLanes`: validation worktrees run at once by a merge train (default 1).
    public var validateLanes = 1
    /// `gorch.validateRetries`: reruns of a failed validation before it counts (default 0).
    public var validateRetries = 0
    /// `gorch.tracker`: nil detects it.
    public var tracker: Workspace.Tracker?
    /// `gorch.remote`: the git remote tasks and the target move through (DESIGN.md "Several
    /// machines"); nil = this machine only. `--remote` overrides it per command.
    public var remote: String?
    /// `gorch.remoteTimeout`: one fetch or push (default 2 min).
    public var remoteTimeout: Duration = .seconds(120)
    /// `gorch.machine`: this machine's name in claims, leases and status (default: the host name).
    public var machine = ProcessInfo.processInfo.hostName
    /// `gorch.resolve` / `gorch.resolve.<glob>`: how trivial conflicts are resolved per path.
    public let resolveRules: ResolveRules
    /// `gorch.agent`: the agent `run` and `loop` use when none is given (a preset name or a
    /// command line); nil when unset.
    public var agent: String?
    /// `gorch.agent.<name>.command`: agent commands by name, replacing or adding to the presets.
    public var agentCommands: [String: String] = [:]

    /// What `gorch.batch` / `--batch`, `gorch.validateLanes` / `--lanes` and `gorch.validateRetries` allow.
    public static let batchRange = 1...1000
    public static let lanesRange = 1...16
    public static let retriesRange = 0...10

    public enum Archive: String, Sendable, CaseIterable { case never, auto }

    /// Reads and checks every setting of `repository`.
    public init(_ repository: Repository) throws {
        func duration(_ key: String, _ fallback: Duration) throws -> Duration {
            try DurationSetting.read(repository, key: key, default: fallback)
        }
        func text(_ key: String) throws -> String? {
            guard let value = try repository.configString(key)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        toolTimeout = try duration("gorch.toolTimeout", toolTimeout)
        agentTimeout = try duration("gorch.agentTimeout", agentTimeout)
        validateTimeout = try duration("gorch.validateTimeout", validateTimeout)
        setupTimeout = try duration("gorch.setupTimeout", setupTimeout)
        agentMailTimeout = try duration("gorch.agentMail.timeout", agentMailTimeout)
        heartbeat = try duration("gorch.beads.heartbeat", heartbeat)
        if let value = try text("gorch.reservationTTL") {
            // Agent Mail's Rust server clamps TTLs to 60 s .. 1 year: outside that, what is asked is not what holds.
            guard let seconds = Int(value), (60...31_536_000).contains(seconds) else {
                throw GorchFailure(.usage, "gorch.reservationTTL is '\(value)'; it must be whole seconds from 60 to 31536000 (a year)",
                                   hint: "e.g. `git config gorch.reservationTTL 3600`")
            }
            reservationTTL = seconds
        }
        if let value = try text("gorch.portBase") {
            guard let port = Int(value), (1024...65535).contains(port) else {
                throw GorchFailure(.usage, "gorch.portBase is '\(value)', not a port from 1024 to 65535",
                                   hint: "e.g. `git config gorch.portBase 41000`")
            }
            portBase = port
        }
        func count(_ key: String, _ range: ClosedRange<Int>, example: Int) throws -> Int? {
            guard let value = try text(key) else { return nil }
            guard let number = Int(value), range.contains(number) else {
                throw GorchFailure(.usage, "\(key) is '\(value)'; it must be a whole number from \(range.lowerBound) to \(range.upperBound)",
                                   hint: "e.g. `git config \(key) \(example)`")
            }
            return number
        }
        batch = try count("gorch.batch", Self.batchRange, example: 8) ?? batch
        validateLanes = try count("gorch.validateLanes", Self.lanesRange, example: 2) ?? validateLanes
        validateRetries = try count("gorch.validateRetries", Self.retriesRange, example: 1) ?? validateRetries
        if let value = try text("gorch.archive") {
            guard let mode = Archive(rawValue: value.lowercased()) else {
                throw GorchFailure(.usage, "gorch.archive is '\(value)'; it must be never or auto",
                                   hint: "`git config gorch.archive auto` archives completed changes; never (the default) suggests it")
            }
            archive = mode
        }
        if let value = try text("gorch.tracker") {
            guard let tracker = Workspace.Tracker(rawValue: value.lowercased()) else {
                throw GorchFailure(.usage, "gorch.tracker is '\(value)'; it must be beads or embedded",
                                   hint: "`git config gorch.tracker beads` or `git config --unset gorch.tracker` to detect it")
            }
            self.tracker = tracker
        }
        remote = try text("gorch.remote")
        remoteTimeout = try duration("gorch.remoteTimeout", remoteTimeout)
        if let name = try text("gorch.machine") { machine = name }
        resolveRules = try TrivialResolver.load(repository)
        agent = try text("gorch.agent")
        agentCommands = try Self.agentCommands(repository)
    }
}
