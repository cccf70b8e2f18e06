/// Which Beads CLI is installed, and so which contract gorch speaks to it
/// (contracts.md section 1, contracts-update.md sections 1-2). Chosen from `bd version` only:
/// probing `bd sync` would run a sync, and its meaning changed twice.
public enum BeadsEra: String, Sendable, CaseIterable {
    /// bd <= 0.55: `.beads/issues.jsonl` is the git-tracked truth; `bd sync` writes it.
    case legacy
    /// bd 0.56 - 1.2: Dolt store; no `bd sync`; `bd export -o .beads/issues.jsonl` for viewers.
    case dolt
    /// bd >= 1.3: Dolt store; claims carry leases (`bd heartbeat`); `bd sync` is a Dolt
    /// pull/check/push loop with exit codes 0-4; errors may come on stdout; writes may be
    /// frozen for a migration (exit 14).
    case leased
    /// br (beads_rust), often installed as a `bd` alias by Agent Mail's installer: SQLite plus
    /// `.beads/issues.jsonl`, errors as `{"error":{code,message,...}}` on stdout, typed exit codes,
    /// `close` answers an object, `sync` needs `--flush-only`/`--import-only`/`--status`.
    case rust

    /// The era of a bd version such as `0.49.6`, `v1.0.5`, `1.3.0-rc1`; nil when there is no
    /// `major.minor` in it. br is told apart by the name `version` prints (see `init(versionOutput:)`).
    public init?(version: String) {
        guard let (major, minor) = BeadsEra.majorMinor(version) else { return nil }
        if (major, minor) <= (0, 55) {
            self = .legacy
        } else if (major, minor) <= (1, 2) {
            self = .dolt
        } else {
            self = .leased
        }
    }

    /// The era and version number of `bd version`'s text: `bd version 1.3.0 (dev)` or
    /// `br version 0.5.7 (release)`. The first word names the tool: br answers `bd` too when
    /// it is installed as the alias.
    public init?(versionOutput text: String) {
        guard let number = BeadsEra.versionNumber(in: text) else { return nil }
        let first = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first
        if first == "br" {
            self = .rust
        } else if let era = BeadsEra(version: number) {
            self = era
        } else {
            return nil
        }
    }

    /// The tool's own name.
    public var tool: String { self == .rust ? "br" : "bd" }

    /// Which versions this contract covers, for `doctor` and the README's table.
    public var versions: String {
        switch self {
        case .legacy: "bd <= 0.55"
        case .dolt: "bd 0.56 - 1.2"
        case .leased: "bd >= 1.3"
        case .rust: "br (beads_rust) 0.1 - 0.5"
        }
    }

    /// `.beads/issues.jsonl` is the file bv reads and people commit: flushed by the tool itself
    /// rather than exported (legacy bd and br).
    public var keepsJSONL: Bool { self == .legacy || self == .rust }

    /// The first `N.N` in the text.
    static func majorMinor(_ text: String) -> (Int, Int)? {
        guard let number = versionNumber(in: text) else { return nil }
        let parts = number.split(separator: ".").compactMap { Int($0) }
        return parts.count >= 2 ? (parts[0], parts[1]) : nil
    }

    /// `1.0.5` out of `bd version 1.0.5 (abc123)`: the first run of digits and dots with a dot.
    static func versionNumber(in text: String) -> String? {
        var current = ""
        for character in text + " " {
            if character.isASCII && (character.isNumber || (character == "." && !current.isEmpty)) {
                current.append(character)
                continue
            }
            let trimmed = current.hasSuffix(".") ? String(current.dropLast()) : current
            if trimmed.contains(".") { return trimmed }
            current = ""
        }
        return nil
    }
}
