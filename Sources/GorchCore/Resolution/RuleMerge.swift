import GitKit

/// What a `gorch.resolve` rule makes of one conflicted path.
public enum RuleOutcome: Equatable, Sendable {
    /// The path's new content.
    case content([UInt8])
    /// The path goes away (the rule chose the side that deleted it).
    case delete
    /// The rule does not decide this conflict; it stays for a person.
    case unresolved
}

/// Applies a `gorch.resolve` rule to the three versions of a path (nil = absent on that side).
public enum RuleMerge {
    /// Text on every present side: xdiff with the rule as favor (`-X ours`, `-X theirs`, the union
    /// driver); an absent base is an empty one (add/add). A side absent (modify/delete): `ours` /
    /// `theirs` take that side's version, deletion included; `union` cannot, so unresolved. Binary
    /// content: `ours` / `theirs` take that side, as git's binary driver does under `-X ours|theirs`;
    /// `union` is unresolved.
    public static func resolve(rule: ResolveRule, base: [UInt8]?, ours: [UInt8]?, theirs: [UInt8]?) throws -> RuleOutcome {
        guard let ours, let theirs else {
            switch rule {
            case .ours: return ours.map(RuleOutcome.content) ?? .delete
            case .theirs: return theirs.map(RuleOutcome.content) ?? .delete
            case .union: return ours == nil && theirs == nil ? .delete : .unresolved
            }
        }
        let favor: TextMerge.Favor = switch rule {
        case .union: .union
        case .ours: .ours
        case .theirs: .theirs
        }
        if let merged = try TextMerge.merge3(base: base ?? [], ours: ours, theirs: theirs, favor: favor),
           merged.conflictHunks == 0 {
            return .content(merged.bytes)
        }
        switch rule {
        case .ours: return .content(ours)
        case .theirs: return .content(theirs)
        case .union: return .unresolved
        }
    }
}
