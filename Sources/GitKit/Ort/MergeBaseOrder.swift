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
    /// Binary heap ordered by date (newest first), ties by insertion order, like git's prio_queue.
    var heap: [(vertex: Vertex, order: Int)] = []
    var counter = 0

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
        push(a)
        b.flags |= Self.parent2
        push(b)
        var found: [(oid: OID, date: Int64)] = []
        while heap.contains(where: { $0.vertex.flags & Self.stale == 0 }) {
            let commit = pop()
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
                push(parent)
            }
        }
        return found
    }

    private static func before(_ x: (vertex: Vertex, order: Int), _ y: (vertex: Vertex, order: Int)) -> Bool {
        x.vertex.date != y.vertex.date ? x.vertex.date > y.vertex.date : x.order < y.order
    }

    private mutating func push(_ v: Vertex) {
        heap.append((v, counter))
        counter += 1
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.before(heap[i], heap[p]) else { break }
            heap.swapAt(i, p)
            i = p
        }
    }

    private mutating func pop() -> Vertex {
        let top = heap[0].vertex
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && Self.before(heap[l], heap[m]) { m = l }
                if r < heap.count && Self.before(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
