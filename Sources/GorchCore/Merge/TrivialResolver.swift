import GitKit

/// Resolves the conflicts DESIGN.md calls trivial, in a merged tree (step 3 of the coordinator):
/// checkbox-only conflicts in tasks.md (union of ticks), paths with a `gorch.resolve` rule, and
/// legacy `.beads/issues.jsonl` by issue id. Every other conflict is complex and stays.
struct TrivialResolver {
    let repository: Repository
    let rules: ResolveRules

    struct Result {
        var tree: OID
        var resolved: [TaskMergeResult.Resolution]
        var remaining: [MergeConflict]
        var remainingStages: [ConflictStage]
        /// Whether the merge is now clean.
        var isClean: Bool
    }

    /// Kinds whose three versions are plain file contents that a resolver can combine; renames,
    /// directory/file and type conflicts change where things live and always need a person.
    private static let resolvableKinds: Set<ConflictKind> = [.content, .addAdd, .modifyDelete]

    static func load(_ repository: Repository) throws -> ResolveRules {
        try ResolveRules(entries: repository.configEntries(matchingPrefix: "gorch.resolve"))
    }

    func resolve(_ outcome: MergeOutcome) throws -> Result {
        var changes: [(path: String, entry: (OID, FileMode)?)] = []
        var resolved: [TaskMergeResult.Resolution] = []
        var remaining: [MergeConflict] = []
        let stagesByPath = Dictionary(grouping: outcome.stages, by: \.path)
        for conflict in outcome.conflicts {
            let stages = stagesByPath[conflict.path] ?? []
            if let (entry, method) = try resolution(for: conflict, stages: stages) {
                changes.append((conflict.path, entry))
                resolved.append(.init(path: conflict.path, method: method))
            } else {
                remaining.append(conflict)
            }
        }
        let tree = changes.isEmpty ? outcome.tree : try repository.updateTree(outcome.tree, changes: changes)
        let left = Set(remaining.map(\.path))
        // A merge can be unclean beyond its listed paths (a directory renamed differently on the
        // two sides); that is never trivial.
        let hiddenConflict = outcome.hasUnlistedConflicts || (!outcome.clean && outcome.conflicts.isEmpty)
        return Result(tree: tree, resolved: resolved, remaining: remaining,
                      remainingStages: outcome.stages.filter { left.contains($0.path) },
                      isClean: remaining.isEmpty && !hiddenConflict)
    }

    private func resolution(for conflict: MergeConflict, stages: [ConflictStage]) throws -> ((OID, FileMode)?, String)? {
        guard Self.resolvableKinds.contains(conflict.kind),
              !stages.isEmpty, stages.allSatisfy({ $0.mode.isRegularFile }) else { return nil }
        func content(_ stage: Int) throws -> [UInt8]? {
            try stages.first { $0.stage == stage }.map { try repository.blobData($0.oid) }
        }
        let base = try content(1), ours = try content(2), theirs = try content(3)
        let mode = (stages.first { $0.stage == 2 } ?? stages.first { $0.stage == 3 })?.mode ?? .blob

        if let rule = rules.rule(for: conflict.path) {
            switch try RuleMerge.resolve(rule: rule, base: base, ours: ours, theirs: theirs) {
            case .content(let bytes): return ((try repository.writeBlob(bytes), mode), "gorch.resolve rule \(rule.rawValue)")
            case .delete: return (nil, "gorch.resolve rule \(rule.rawValue) (deleted)")
            case .unresolved: return nil
            }
        }
        guard let ours, let theirs else { return nil }
        if basename(conflict.path) == "tasks.md", conflict.kind == .content, let base,
           let merged = try ChecklistMerge.resolve(base: base, ours: ours, theirs: theirs) {
            return ((try repository.writeBlob(merged), mode), "checkbox ticks (union)")
        }
        if conflict.path == ".beads/issues.jsonl",
           let merged = JSONLMerge.resolve(base: base ?? [], ours: ours, theirs: theirs) {
            return ((try repository.writeBlob(merged), mode), "issues by id (newest updated_at)")
        }
        return nil
    }

    private func basename(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }
}
