/// git's prio_queue as commit walks use it: newest committer date first, ties in insertion
/// order (a binary heap keyed by date and a running counter).
struct DateQueue<Element> {
    private var heap: [(element: Element, date: Int64, order: Int)] = []
    private var counter = 0

    var isEmpty: Bool { heap.isEmpty }
    var elements: some Sequence<Element> { heap.lazy.map(\.element) }

    private static func before(_ x: (element: Element, date: Int64, order: Int), _ y: (element: Element, date: Int64, order: Int)) -> Bool {
        x.date != y.date ? x.date > y.date : x.order < y.order
    }

    mutating func push(_ element: Element, date: Int64) {
        heap.append((element, date, counter))
        counter += 1
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.before(heap[i], heap[p]) else { break }
            heap.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> Element? {
        guard let top = heap.first?.element else { return nil }
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
