import Foundation
import GitKit

/// Verdicts of in-memory merges, kept under `.git/gorch/verdicts` by commit pair: commits are
/// immutable, so a pair merged once (with the same labels, engine version and merge settings)
/// never needs merging again. `gorch conflicts` and `gorch status` consult it first.
///
/// The file is append-only, one `KEY<TAB>RESULT` line per verdict. Both are space-separated
/// fields with `%`, tab, newline and space percent-escaped, so neither holds a raw separator
/// (hand-written: Foundation's JSON coders were half of a warm 16-branch matrix). Only keys are
/// indexed at load; a result is parsed when it is hit. A result ends with a ` .` field, so a torn
/// last line (a crash mid-append) or any undecodable line is a miss, never an error or a wrong
/// answer: the cache only ever saves work. Concurrent writers append whole lines with one
/// `write(2)` each flush; the file is compacted (newest entries kept) when it grows too long.
/// Thread-safe: one cache serves every worker of a `PredictionPool`.
public final class VerdictCache: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var entries: [String: String] = [:]
    private var pending: [String] = []
    /// Lines kept when compacting, and the length that triggers it.
    static let keep = 20_000, compactAbove = 40_000

    /// Opens (or starts) the cache file at `path`; a missing or unreadable file is an empty cache.
    public init(path: String) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else { return }
        // Split on bytes, not Characters: grapheme breaking made loading a few hundred lines
        // cost more than the rest of a warm matrix.
        var lines = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start, tab = -1
                while end < bytes.count && bytes[end] != 0x0A {
                    if tab < 0 && bytes[end] == 0x09 { tab = end }
                    end += 1
                }
                if tab > start {
                    entries[String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<tab]), as: UTF8.self)] =
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[(tab + 1)..<end]), as: UTF8.self)
                }
                lines += 1
                start = end + 1
            }
        }
        if lines > Self.compactAbove, let text = String(data: data, encoding: .utf8) {
            compact(Array(text.split(separator: "\n").suffix(Self.keep)))
        }
    }

    /// The cache of the repository whose gorch folder is `paths`.
    public convenience init(paths: GorchPaths) {
        self.init(path: paths.verdicts)
    }

    /// The cached result of merging `theirs` into `ours`, if this exact merge was done before.
    func lookup(_ key: Key) -> Entry? {
        guard let raw = lock.withLock({ entries[key.text] }) else { return nil }
        return Entry(line: raw)
    }

    func store(_ key: Key, _ entry: Entry) {
        let result = entry.line
        lock.withLock {
            entries[key.text] = result
            pending.append("\(key.text)\t\(result)\n")
        }
    }

    /// Appends the verdicts stored since the last flush. Failures (a read-only repository) are
    /// ignored: the verdicts are recomputed next time.
    public func flush() {
        let lines: [String] = lock.withLock { defer { pending.removeAll() }; return pending }
        guard !lines.isEmpty else { return }
        let fd = PrivateState.open(path, O_WRONLY | O_APPEND)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(lines.joined().utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Rewrites the file with its newest lines, by rename so a reader never sees half a file.
    private func compact(_ lines: [Substring]) {
        let temporary = path + ".\(getpid()).tmp"
        let text = lines.map { $0 + "\n" }.joined()
        let fd = PrivateState.open(temporary, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { return }
        let written = writeAll(fd, Data(text.utf8))
        close(fd)
        if !written || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// What decides a merge's result: both commits, both labels (they are written into conflict
    /// markers, so into the tree id) and the engine's settings.
    struct Key {
        let text: String

        init(ours: OID, theirs: OID, ourLabel: String, theirLabel: String, settings: String) {
            text = [settings, ours.hex, theirs.hex, ourLabel, theirLabel].map(VerdictCache.escape).joined(separator: " ")
        }

        /// The same key from its fields already escaped (`VerdictCache.escape`), for a caller
        /// that keys every pair of a few commits (`status`: escaping and hex once per task).
        init(escapedSettings settings: String, ours: String, theirs: String, ourLabel: String, theirLabel: String) {
            var text = settings
            text.reserveCapacity(settings.utf8.count + ours.utf8.count + theirs.utf8.count + ourLabel.utf8.count + theirLabel.utf8.count + 4)
            for field in [ours, theirs, ourLabel, theirLabel] { text += " "; text += field }
            self.text = text
        }
    }

    /// A cached prediction, without the names it was asked under:
    /// `VERDICT BASES TREE|- (KIND PATH)* .`.
    struct Entry {
        var verdict: Verdict
        var conflicts: [MergeConflict]
        var tree: OID?
        var bases: Int

        init(_ prediction: ConflictPrediction) {
            verdict = prediction.verdict ?? .conflict
            conflicts = prediction.conflicts
            tree = prediction.tree
            bases = prediction.bases ?? 1
        }

        /// Parses a stored line; nil for anything malformed (a miss).
        init?(line: String) {
            let bytes = line.utf8
            guard bytes.count >= 2, bytes.suffix(2).elementsEqual(" .".utf8) else { return nil }
            let fields = bytes.dropLast(2).split(separator: 0x20, omittingEmptySubsequences: false)
                .map { VerdictCache.unescape(Substring(String(decoding: $0, as: UTF8.self))) }
            guard fields.count >= 3, fields.count % 2 == 1, let verdict = Verdict(rawValue: fields[0]),
                  let bases = Int(fields[1]) else { return nil }
            var conflicts: [MergeConflict] = []
            for index in stride(from: 3, to: fields.count, by: 2) {
                guard let kind = ConflictKind(rawValue: fields[index]) else { return nil }
                conflicts.append(MergeConflict(path: fields[index + 1], kind: kind))
            }
            if fields[2] == "-" { tree = nil } else {
                guard let oid = OID(hex: fields[2]) else { return nil }
                tree = oid
            }
            self.verdict = verdict
            self.bases = bases
            self.conflicts = conflicts
        }

        var line: String {
            ([verdict.rawValue, String(bases), tree?.hex ?? "-"] + conflicts.flatMap { [$0.kind.rawValue, $0.path] })
                .map(VerdictCache.escape).joined(separator: " ") + " ."
        }

        func apply(to prediction: inout ConflictPrediction) {
            prediction.verdict = verdict
            prediction.conflicts = conflicts
            prediction.tree = tree
            prediction.bases = bases
        }
    }

    static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A || $0 == 0x20 || $0 == 0x0D }) else { return field }
        var out = ""
        for scalar in field.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\t": out += "%09"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            case " ": out += "%20"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(0x25) else { return String(field) }   // not Foundation's contains: CFString
        var out = "", rest = field[...]
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let code = rest[rest.index(after: percent)...].prefix(2)
            switch code {
            case "25": out += "%"
            case "09": out += "\t"
            case "0A": out += "\n"
            case "0D": out += "\r"
            case "20": out += " "
            default: out += "%" + code
            }
            rest = rest[code.endIndex...]
        }
        return out + rest
    }
}
