/// Merge bases of two commits (git's get_merge_bases: paint_down_to_common, then
/// remove_redundant), on a commit graph kept across merges. libgit2's `git_merge_bases` parses
/// every commit it walks anew on each call, which was a fifth of a branch-tip prediction; here a
/// commit is read once per process and later walks only flip flags.
final class CommitGraph {
    static let parent1 = 1, parent2 = 2, stale = 4, result = 8

    final class Vertex {
        let oid: OID
        let date: Int64
        let parentIDs: [OID]
        var parents: [Vertex]?
        var flags = 0
        /// Times this vertex sits in the current walk's queue, to keep the non-stale count exact.
        var queued = 0
        /// A virtual merge base (git's make_virtual_commit): no commit of its own, never a result.
        let isVirtual: Bool
        init(oid: OID, date: Int64, parentIDs: [OID]) {
            self.oid = oid; self.date = date; self.parentIDs = parentIDs; isVirtual = false
        }
        init(virtualParents: [Vertex]) {
            oid = OID.zero; date = 0; parentIDs = []; parents = virtualParents; isVirtual = true
        }
    }

    private let repository: Repository
    private var vertices: [OID: Vertex] = [:]
    /// Bound on remembered commits, so long --stdin streams stay flat in memory.
    var limit = 400_000

    init(repository: Repository) {
        self.repository = repository
    }

    /// All merge bases of `one` and `two`, newest first; empty for unrelated histories.
    func mergeBases(_ one: OID, _ two: OID) throws -> [OID] {
        if one == two { return [one] }
        // commit_list_insert_by_date: newest first, ties in the order found.
        return try bases(one, [two]).enumerated().sorted {
            $0.element.date != $1.element.date ? $0.element.date > $1.element.date : $0.offset < $1.offset
        }.map(\.element.oid)
    }

    /// All merge bases of `one` and the union of `others` (git's get_merge_bases_many(), the set
    /// libgit2's `git_merge_bases_many` finds), in no particular order: ort orders them itself.
    /// The walk of a virtual merge base's commits: libgit2 parsed every commit of it anew per
    /// fold, a tenth of a cold merge with forty merge bases.
    func mergeBases(_ one: OID, _ others: [OID]) throws -> [OID] {
        if others.contains(one) { return [one] }
        return try bases(one, others).map(\.oid)
    }

    /// The commits reachable from both `one` and `two` in the order paint_down_to_common()
    /// reaches them, with their dates; either side may be a virtual merge base (its date 0, the
    /// commits it merged as parents). ort's merge_ort_internal() orders merge bases this way.
    func commonInWalkOrder(_ one: OrtMerger.Node, _ two: OrtMerger.Node) throws -> [(oid: OID, date: Int64)] {
        try walk { touched in try paint(try vertex(one), [try vertex(two)], touched: &touched).map { ($0.oid, $0.date) } }
    }

    /// One walk: every vertex is forgotten first when there are more than `limit` (before the walk
    /// looks any up, so it never meets two vertices of one commit), and the flags it set are
    /// cleared after, for the next.
    private func walk<T>(_ body: (inout [Vertex]) throws -> T) rethrows -> T {
        if vertices.count > limit { vertices.removeAll(keepingCapacity: true) }
        var touched: [Vertex] = []
        defer { for v in touched { v.flags = 0 } }
        return try body(&touched)
    }

    private func vertex(_ node: OrtMerger.Node) throws -> Vertex {
        switch node {
        case .real(let oid): try vertex(oid)
        case .virtual(_, let parents): Vertex(virtualParents: try parents.map { try vertex($0) })
        }
    }

    /// get_merge_bases_many_0() without the final sort: the common ancestors `paint` finds that
    /// are not stale, redundant ones removed.
    private func bases(_ one: OID, _ others: [OID]) throws -> [Vertex] {
        try walk { touched in
            let a = try vertex(one), twos = try others.map { try vertex($0) }
            let found = try paint(a, twos, touched: &touched).filter { $0.flags & Self.stale == 0 }
            for v in touched { v.flags = 0 }
            touched.removeAll(keepingCapacity: true)
            return found.count > 1 ? try removeRedundant(found, touched: &touched) : found
        }
    }

    /// paint_down_to_common(): commits reachable from `one` and some of `twos`, in the order found.
    private func paint(_ one: Vertex, _ twos: [Vertex], touched: inout [Vertex]) throws -> [Vertex] {
        var queue = DateQueue<Vertex>()
        var nonStale = 0
        func push(_ v: Vertex) {
            if v.flags & Self.stale == 0 { nonStale += 1 }
            v.queued += 1
            queue.push(v, date: v.date)
        }
        func mark(_ v: Vertex, _ flags: Int) {
            if v.flags == 0 { touched.append(v) }
            if flags & Self.stale != 0 && v.flags & Self.stale == 0 { nonStale -= v.queued }
            v.flags |= flags
        }
        mark(one, Self.parent1)
        push(one)
        for two in twos { mark(two, Self.parent2); push(two) }
        var found: [Vertex] = []
        while nonStale > 0, let commit = queue.pop() {
            commit.queued -= 1
            if commit.flags & Self.stale == 0 { nonStale -= 1 }
            var flags = commit.flags & (Self.parent1 | Self.parent2 | Self.stale)
            if flags == Self.parent1 | Self.parent2 {
                if commit.flags & Self.result == 0 && !commit.isVirtual {
                    mark(commit, Self.result)
                    found.append(commit)
                }
                flags |= Self.stale
            }
            for parent in try parents(of: commit) where parent.flags & flags != flags {
                mark(parent, flags)
                push(parent)
            }
        }
        // Whatever is still queued is stale: forget the counts for the next walk.
        while let left = queue.pop() { left.queued -= 1 }
        return found
    }

    /// remove_redundant(): drops every base that is an ancestor of another.
    private func removeRedundant(_ commits: [Vertex], touched: inout [Vertex]) throws -> [Vertex] {
        var redundant = [Bool](repeating: false, count: commits.count)
        for i in commits.indices where !redundant[i] {
            let others = commits.indices.filter { $0 != i && !redundant[$0] }
            _ = try paint(commits[i], others.map { commits[$0] }, touched: &touched)
            if commits[i].flags & Self.parent2 != 0 { redundant[i] = true }
            for j in others where commits[j].flags & Self.parent1 != 0 { redundant[j] = true }
            for v in touched { v.flags = 0 }
            touched.removeAll(keepingCapacity: true)
        }
        return commits.indices.filter { !redundant[$0] }.map { commits[$0] }
    }

    private func vertex(_ oid: OID) throws -> Vertex {
        if let known = vertices[oid] { return known }
        let (date, parents) = try repository.commitDateAndParents(oid)
        let made = Vertex(oid: oid, date: date, parentIDs: parents)
        vertices[oid] = made
        return made
    }

    private func parents(of v: Vertex) throws -> [Vertex] {
        if let known = v.parents { return known }
        let made = try v.parentIDs.map { try vertex($0) }
        v.parents = made
        return made
    }
}
