/// A merge queue for the merge-train differential tests (DESIGN.md "Landing many tasks: merge
/// trains"), drawn from a seed: which tasks exist, what each one commits and in which order they
/// are merged. A plain value: the same seed gives the same queue, so a repository can be built
/// from it as many times as there are runs to compare (worktree paths are absolute, so a built
/// repository is never copied).
public struct TrainQueueSpec: Sendable, CustomStringConvertible {
    public struct Task: Sendable {
        public var id: String
        /// Commits `BROKEN-<id>`: the validation fails on any tree holding a BROKEN-* file.
        public var culprit = false
        /// Rewrites this line (1-based) of `shared.txt`: two tasks on one line make a complex conflict.
        public var line: Int?
        /// Ticks its own box in `tasks.md` (neighbouring ticks: a checkbox-only conflict, resolved as a union).
        public var tick = false
        /// Started from another task's branch (`gorch start --base task/<base>`), so it contains that task.
        public var base: String?
        /// Merged into the target by a person (`git merge --no-ff`) after `gorch done`: already contained.
        public var landedByHand = false

        public init(_ id: String, culprit: Bool = false, line: Int? = nil, tick: Bool = false, base: String? = nil,
                    landedByHand: Bool = false) {
            self.id = id
            self.culprit = culprit
            self.line = line
            self.tick = tick
            self.base = base
            self.landedByHand = landedByHand
        }
    }

    public var seed: UInt64
    /// In creation order (`gorch start`, commit, `gorch done`, one after another).
    public var tasks: [Task]
    /// The merge order (`gorch merge <ids...>`).
    public var queue: [String]
    public var keepGoing: Bool
    /// Lines of `shared.txt`.
    public var lines: Int

    public var culprits: [String] { tasks.filter(\.culprit).map(\.id) }

    public var description: String {
        let parts = tasks.map { task in
            var flags: [String] = []
            if task.culprit { flags.append("culprit") }
            if let line = task.line { flags.append("line \(line)") }
            if task.tick { flags.append("tick") }
            if let base = task.base { flags.append("base \(base)") }
            if task.landedByHand { flags.append("landed by hand") }
            return "\(task.id)" + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))")
        }
        return "seed \(seed): queue \(queue.joined(separator: " ")), \(keepGoing ? "--keep-going" : "stop at first"); "
            + parts.joined(separator: "; ")
    }

    /// `queue` nil: the tasks in creation order.
    public init(seed: UInt64 = 0, tasks: [Task], queue: [String]? = nil, keepGoing: Bool, lines: Int = 3) {
        self.seed = seed
        self.tasks = tasks
        self.queue = queue ?? tasks.map(\.id)
        self.keepGoing = keepGoing
        self.lines = lines
    }

    /// A random queue of 1...10 tasks: culprits anywhere (sometimes all), same-line edits,
    /// neighbouring ticks, tasks started on others' branches and tasks landed by hand.
    public static func generate(seed: UInt64) -> TrainQueueSpec {
        var random = SplitMix64(seed: stableHash("train", String(seed)))
        let count = random.int(in: 1...10)
        let allCulprits = random.chance(0.04)
        let culpritRate = [0.0, 0.1, 0.25, 0.5].randomElement(using: &random)
        var tasks: [Task] = []
        for index in 1...count {
            var task = Task("t\(index)")
            task.culprit = allCulprits || random.chance(culpritRate)
            if !task.culprit, random.chance(0.08) {
                // Only its own file: a person's `git merge` of it never conflicts.
                task.landedByHand = true
                tasks.append(task)
                continue
            }
            if random.chance(0.3) { task.line = random.int(in: 1...3) }
            task.tick = random.chance(0.4)
            if random.chance(0.12), let base = random.pick(tasks.filter { !$0.landedByHand }) {
                task.base = base.id
            }
            tasks.append(task)
        }
        return TrainQueueSpec(seed: seed, tasks: tasks, queue: random.shuffled(tasks.map(\.id)), keepGoing: random.chance(0.6))
    }
}

extension Array {
    func randomElement(using random: inout SplitMix64) -> Element {
        self[random.int(in: 0...(count - 1))]
    }
}
