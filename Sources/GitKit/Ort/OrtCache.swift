/// Objects read during merges, kept across merges of one OrtMerger: trees are immutable, so a
/// tree or a similarity signature read for one pair serves every later pair.
final class OrtCache {
    private var trees: [OID: [TreeEntry]] = [:]
    private var signatures: [OID: SimilaritySignature] = [:]
    private var sizes: [OID: Int] = [:]
    private var commits: [OID: CommitInfo] = [:]
    /// Bound on cached trees, so long --stdin streams stay flat in memory.
    var treeLimit = 50_000

    func entries(of tree: OID, in repository: Repository) throws -> [TreeEntry] {
        if let hit = trees[tree] { return hit }
        let entries = try repository.treeEntries(tree)
        if trees.count >= treeLimit { trees.removeAll(keepingCapacity: true) }
        trees[tree] = entries
        return entries
    }

    func commit(_ oid: OID, in repository: Repository) throws -> CommitInfo {
        if let hit = commits[oid] { return hit }
        let commit = try repository.commit(oid)
        if commits.count >= treeLimit { commits.removeAll(keepingCapacity: true) }
        commits[oid] = commit
        return commit
    }

    func size(of blob: OID, in repository: Repository) throws -> Int {
        if let hit = sizes[blob] { return hit }
        let size = try repository.blobSize(blob)
        if sizes.count >= treeLimit * 4 { sizes.removeAll(keepingCapacity: true) }
        sizes[blob] = size
        return size
    }

    func signature(of blob: OID, in repository: Repository) throws -> SimilaritySignature {
        if let hit = signatures[blob] { return hit }
        let signature = SimilaritySignature(try repository.blobData(blob))
        if signatures.count >= treeLimit { signatures.removeAll(keepingCapacity: true) }
        signatures[blob] = signature
        return signature
    }
}
