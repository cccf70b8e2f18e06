import GitKit
import GorchCore

/// One prediction, as an element of `results` in `gorch conflicts --json` and as one line of
/// `gorch conflicts --stdin`. Every key is always present, in this order:
///
///     {"target":    "main",                  // the target as given; null for a malformed --stdin line
///      "branch":    "feature",               // the revision merged into it; null for a malformed line
///      "verdict":   "clean" | "conflict" | "fast-forward" | "up-to-date" | null,   // null iff error
///      "conflicts": [{"path": "src/a.c", "kind": "content"}, ...] | null,          // [] when no conflict; null iff error
///      "tree":      "<40 hex digits>" | null, // merged tree: clean, fast-forward (theirs), up-to-date (ours);
///                                             // for a conflict the tree with markers, as git writes it; null iff error
///      "bases":     1 | null,                 // merge bases; 0 for unrelated histories; null when not counted
///      "error":     {"kind": "unknown-revision" | "unrelated-histories" | "git" | "malformed-line",
///                    "message": "..."} | null}
///
/// Conflict kinds: content, add/add, modify/delete, rename/delete, rename/rename, rename/add,
/// directory/file, location, mode, binary, submodule (DESIGN.md "Conflict prediction").
struct ConflictResultJSON: Encodable {
    // Non-optional fields only: the synthesized encoding writes them in declaration order.
    struct Conflict: Encodable {
        var path: String
        var kind: String
    }

    struct Failure: Encodable {
        var kind: String
        var message: String
    }

    /// The `error.kind` of a `--stdin` line that is not `TARGET REV`.
    static let malformedLineKind = "malformed-line"

    var target: String?
    var branch: String?
    var verdict: String?
    var conflicts: [Conflict]?
    var tree: String?
    var bases: Int?
    var error: Failure?

    init(_ prediction: ConflictPrediction) {
        target = prediction.target
        branch = prediction.branch
        bases = prediction.bases
        if let failure = prediction.error {
            error = Failure(kind: failure.kind, message: failure.description)
            return
        }
        verdict = prediction.verdict?.rawValue
        conflicts = prediction.conflicts.map { Conflict(path: $0.path, kind: $0.kind.rawValue) }
        tree = prediction.tree?.hex
    }

    /// A `--stdin` line that could not be read as a pair.
    init(malformedLine message: String) {
        error = Failure(kind: Self.malformedLineKind, message: message)
    }

    private enum CodingKeys: String, CodingKey { case target, branch, verdict, conflicts, tree, bases, error }

    // Explicit so key order is the documented one and nil is written as null, never omitted.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(branch, forKey: .branch)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(conflicts, forKey: .conflicts)
        try container.encode(tree, forKey: .tree)
        try container.encode(bases, forKey: .bases)
        try container.encode(error, forKey: .error)
    }
}
