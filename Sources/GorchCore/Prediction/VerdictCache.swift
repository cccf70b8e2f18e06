import Foundation
import GitKit

/// Verdicts of in-memory merges, kept under `.git/gorch/verdicts` by commit pair: commits are
/// immutable, so a pair merged once (with the same labels, engine version and merge settings)
/// never needs merging again. `gorch conflicts` and `gorch status` consult it first.
///
/// The file is append-only, one `KEY<TAB>RESULT` line per verdict; KEY and RESULT are JSON, so
/// neither holds a raw tab or newline. Only keys are indexed at load; a result is decoded when
/// it is hit. A torn last line (a crash mid-append) or any undecodable line is a miss, never an
/// error: the cache only ever saves work. Concurrent writers append whole lines with one
/// `write(2)` each flush; the file is compacted (newest entries kept) when it grows too long.
/// Thread-safe: one cache serves every worker of a `PredictionPool`.
public final class VerdictCache: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var entries: [String: Substring] = [:]
    private var pending: [String] = []
    /// Lines kept when compacting, and the length that triggers it.
    static let keep = 20_000, compactAbove = 40_000

    /// Opens (or starts) the cache file at `path`; a missing or unreadable file is an empty cache.
    public init(path: String) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        for line in lines {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            entries[String(line[..<tab])] = line[line.index(after: tab)...]
        }
        if lines.count > Self.compactAbove { compact(Array(lines.suffix(Self.keep))) }
    }

    /// The cache of the repository whose gorch folder is `paths`.
    public convenience init(paths: GorchPaths) {
        self.init(path: (paths.root as NSString).appendingPathComponent("verdicts"))
    }

    public var count: Int { lock.withLock { entries.count } }

    /// The cached result of merging `theirs` into `ours`, if this exact merge was done before.
    func lookup(_ key: Key) -> Entry? {
        guard let raw = lock.withLock({ entries[key.text] }) else { return nil }
        return try? JSONDecoder().decode(Entry.self, from: Data(raw.utf8))
    }

    func store(_ key: Key, _ entry: Entry) {
        guard let json = try? JSONEncoder().encode(entry), let result = String(data: json, encoding: .utf8) else { return }
        lock.withLock {
            entries[key.text] = Substring(result)
            pending.append("\(key.text)\t\(result)\n")
        }
    }

    /// Appends the verdicts stored since the last flush. Failures (a read-only repository) are
    /// ignored: the verdicts are recomputed next time.
    public func flush() {
        let lines: [String] = lock.withLock { defer { pending.removeAll() }; return pending }
        guard !lines.isEmpty else { return }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(lines.joined().utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Rewrites the file with its newest lines, by rename so a reader never sees half a file.
    private func compact(_ lines: [Substring]) {
        let temporary = path + ".\(getpid()).tmp"
        let text = lines.map { $0 + "\n" }.joined()
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// What decides a merge's result: both commits, both labels (they are written into conflict
    /// markers, so into the tree id) and the engine's settings.
    struct Key {
        let text: String

        init(ours: OID, theirs: OID, ourLabel: String, theirLabel: String, settings: String) {
            let fields = [settings, ours.hex, theirs.hex, ourLabel, theirLabel]
            let json = (try? JSONEncoder().encode(fields)).flatMap { String(data: $0, encoding: .utf8) }
            text = json ?? fields.joined(separator: " ")
        }
    }

    /// A cached prediction, without the names it was asked under.
    struct Entry: Codable {
        var verdict: Verdict
        var conflicts: [[String]]
        var tree: String?
        var bases: Int

        init(_ prediction: ConflictPrediction) {
            verdict = prediction.verdict ?? .conflict
            conflicts = prediction.conflicts.map { [$0.kind.rawValue, $0.path] }
            tree = prediction.tree?.hex
            bases = prediction.bases ?? 1
        }

        func apply(to prediction: inout ConflictPrediction) -> Bool {
            var conflicts: [MergeConflict] = []
            for pair in self.conflicts {
                guard pair.count == 2, let kind = ConflictKind(rawValue: pair[0]) else { return false }
                conflicts.append(MergeConflict(path: pair[1], kind: kind))
            }
            var oid: OID?
            if let tree {
                guard let parsed = OID(hex: tree) else { return false }
                oid = parsed
            }
            prediction.verdict = verdict
            prediction.conflicts = conflicts
            prediction.tree = oid
            prediction.bases = bases
            return true
        }
    }
}
