/// The order of merge bases matters for the virtual base (ort folds them in reverse order), and
/// libgit2 finds the same set as git but may order commits with equal dates differently. This
/// replays git's get_merge_bases() (commit-reach.c paint_down_to_common, without generation
/// numbers) to recover git's order: bases by committer date, newest first, ties in the order the
/// walk reached them. A virtual base has date 0 and its two merged commits as parents.
extension OrtMerger {
    func gitOrder(of bases: [OID], one: Node, two: Node) throws -> [OID] {
        let wanted = Set(bases)
        var walk = PaintWalk(repository: repository, cache: cache)
        let found = try walk.paintDownToCommon(one: one, two: two).filter { wanted.contains($0.oid) }
        // commit_list_insert_by_date: a stable sort by date, newest first.
        let ordered = found.enumerated().sorted {
            $0.element.date != $1.element.date ? $0.element.date > $1.element.date : $0.offset < $1.offset
        }.map(\.element.oid)
        // Anything the walk did not reach (it should reach all) keeps libgit2's order at the end.
        return ordered + bases.filter { !ordered.contains($0) }
    }
}

private struct PaintWalk {
    static let parent1 = 1, parent2 = 2, stale = 4, result = 8

    final class Vertex {
        let oid: OID?           // nil for a virtual commit
        let date: Int64
        var parents: [Vertex]?
        var flags = 0
        init(oid: OID?, date: Int64, parents: [Vertex]?) { self.oid = oid; self.date = date; self.parents = parents }
    }

    let repository: Repository
    let cache: OrtCache
    var vertices: [OID: Vertex] = [:]
    var queue = DateQueue<Vertex>()

    init(repository: Repository, cache: OrtCache) {
        self.repository = repository
        self.cache = cache
    }

    mutating func vertex(_ node: OrtMerger.Node) throws -> Vertex {
        switch node {
        case .real(let oid): return try vertex(oid)
        case .virtual(_, let parents): return Vertex(oid: nil, date: 0, parents: try parents.map { try vertex($0) })
        }
    }

    mutating func vertex(_ oid: OID) throws -> Vertex {
        if let known = vertices[oid] { return known }
        let made = Vertex(oid: oid, date: try cache.commit(oid, in: repository).time, parents: nil)
        vertices[oid] = made
        return made
    }

    mutating func parents(of v: Vertex) throws -> [Vertex] {
        if let known = v.parents { return known }
        guard let oid = v.oid else { return [] }
        let made = try cache.commit(oid, in: repository).parents.map { try vertex($0) }
        v.parents = made
        return made
    }

    /// The commits found reachable from both sides, in the order the walk found them.
    mutating func paintDownToCommon(one: OrtMerger.Node, two: OrtMerger.Node) throws -> [(oid: OID, date: Int64)] {
        let a = try vertex(one), b = try vertex(two)
        a.flags |= Self.parent1
        queue.push(a, date: a.date)
        b.flags |= Self.parent2
        queue.push(b, date: b.date)
        var found: [(oid: OID, date: Int64)] = []
        while queue.elements.contains(where: { $0.flags & Self.stale == 0 }), let commit = queue.pop() {
            var flags = commit.flags & (Self.parent1 | Self.parent2 | Self.stale)
            if flags == Self.parent1 | Self.parent2 {
                if commit.flags & Self.result == 0, let oid = commit.oid {
                    commit.flags |= Self.result
                    found.append((oid, commit.date))
                }
                flags |= Self.stale
            }
            for parent in try parents(of: commit) where parent.flags & flags != flags {
                parent.flags |= flags
                queue.push(parent, date: parent.date)
            }
        }
        return found
    }
}
