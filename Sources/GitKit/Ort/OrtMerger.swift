import Foundation

/// merge-ort's algorithm, rebuilt on libgit2 primitives: in-memory merges of two commits that agree
/// with `git merge-tree --write-tree` in verdict, clean tree id and conflicting paths.
public final class OrtMerger {
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Merges `theirs` into `ours`. Throws `OrtError.unrelatedHistories` when there is no merge base.
    public func merge(ours: OID, theirs: OID, ourLabel: String, theirLabel: String) throws -> MergeOutcome {
        fatalError("not yet")
    }
}

public enum OrtError: Error, Equatable, Sendable {
    case unrelatedHistories
}
