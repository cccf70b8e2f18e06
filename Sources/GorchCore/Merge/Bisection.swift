/// Which prefixes of a merge train to validate, round by round, to find the longest prefix that
/// passes and the first task that breaks it (DESIGN.md "Landing many tasks: merge trains").
///
/// Prefixes are numbered by length: prefix k is the target with the train's first k tasks
/// merged; prefix 0 is the target itself, taken as passing (it is what the target holds now).
/// With one lane this is a binary search over (passing, failing]; with L lanes each round
/// validates up to L prefixes at once: the first round the tip and L-1 evenly spaced prefixes
/// (speculatively: if the tip fails, the search has already narrowed), later rounds split the
/// open interval into L+1 parts. A train with no culprit costs one validation; one culprit at
/// most 1 + ceil(log2 n) with one lane.
///
/// Results need not be monotone (a flaky gate, a break that a later task repairs): only prefixes
/// that were validated and passed are ever landed, and the culprit is always a prefix whose own
/// validation failed while the one just before it passed (or is the target).
struct Bisection: Equatable, Sendable {
    /// Tasks in the train.
    let count: Int
    /// Every validated prefix and whether it passed.
    private(set) var results: [Int: Bool] = [:]

    /// The shortest prefix known to fail; nil before the first failure.
    var failing: Int? { results.filter { !$0.value }.keys.min() }

    /// The longest prefix known to pass below `failing` (0: only the target).
    var passing: Int {
        let bound = failing ?? (count + 1)
        return results.filter { $0.value && $0.key < bound }.keys.max() ?? 0
    }

    init(count: Int) {
        precondition(count > 0, "a train has at least one task")
        self.count = count
    }

    /// Done: the tip passed, or a failing prefix directly follows a passing one.
    var isDone: Bool {
        if let failing { return failing - passing <= 1 }
        return passing == count
    }

    /// The prefix to land (0: none) once done.
    var landing: Int { passing }

    /// The task that broke the train (1-based prefix length), once done; nil when the tip passed.
    var culprit: Int? { isDone ? failing : nil }

    /// The prefixes to validate next, at most `lanes` of them, in increasing order.
    func nextRound(lanes: Int) -> [Int] {
        guard !isDone else { return [] }
        let width = max(1, lanes)
        var points: [Int]
        if let failing {
            // Split (passing, failing) into width + 1 parts.
            let span = failing - passing
            points = (1...width).map { passing + span * $0 / (width + 1) }
        } else {
            // The tip, plus width - 1 speculative points spread over (passing, count).
            let span = count - passing
            points = [count] + (1..<width).map { passing + span * $0 / width }
        }
        let upper = failing ?? (count + 1)
        return Array(Set(points.filter { $0 > passing && $0 < upper })).sorted()
    }

    /// Records one validated prefix.
    mutating func record(_ prefix: Int, passed: Bool) {
        results[prefix] = passed
    }
}
