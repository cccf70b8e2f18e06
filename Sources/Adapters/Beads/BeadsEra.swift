/// Which bd is installed (contracts.md section 0): the JSONL era had `bd sync`; from 0.56 the
/// store is Dolt, `bd sync` is gone and `.beads/issues.jsonl` is an optional `bd export`.
public enum BeadsEra: String, Sendable {
    /// <= 0.55: `.beads/issues.jsonl` is the git-tracked truth; `bd sync` writes it.
    case legacy
    /// >= 0.56: Dolt store; no `bd sync`; `bd export -o .beads/issues.jsonl` for viewers.
    case dolt

    /// The era of a version such as `0.49.6`, `v1.0.5`, `1.0.5-rc1`; nil when there is no
    /// `major.minor` in it.
    public init?(version: String) {
        guard let (major, minor) = BeadsEra.majorMinor(version) else { return nil }
        self = (major, minor) <= (0, 55) ? .legacy : .dolt
    }

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
