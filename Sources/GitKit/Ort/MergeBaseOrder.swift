/// The order of merge bases matters for the virtual base (ort folds them in reverse order), and
/// the set comes in no particular order. This replays git's get_merge_bases() (commit-reach.c
/// paint_down_to_common, without generation numbers) to recover git's order: bases by committer
/// date, newest first, ties in the order the walk reached them. A virtual base has date 0 and its
/// two merged commits as parents. The walk runs on the merger's commit graph (each commit read
/// once per process, from the commit-graph file when there is one): a fresh walk that parsed
/// every commit was a seventh of a single heavy merge.
extension OrtMerger {
    func gitOrder(of bases: [OID], one: Node, two: Node) throws -> [OID] {
        let wanted = Set(bases)
        let found = try graph.commonInWalkOrder(one, two).filter { wanted.contains($0.oid) }
        // commit_list_insert_by_date: a stable sort by date, newest first.
        let ordered = found.enumerated().sorted {
            $0.element.date != $1.element.date ? $0.element.date > $1.element.date : $0.offset < $1.offset
        }.map(\.element.oid)
        // Anything the walk did not reach (it should reach all) keeps libgit2's order at the end.
        return ordered + bases.filter { !ordered.contains($0) }
    }
}
