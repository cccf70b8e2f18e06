import GitKit

/// Merges OpenSpec `tasks.md` files whose only conflicts are checkbox ticks: a conflict hunk is
/// resolved when ours and theirs have the same number of lines and pair up line by line as equal
/// once checkboxes are ignored; each resolved line is ticked when it is ticked on either side (the
/// union of ticks).
///
/// When that fails, one more try covers a tick next to a text edit (a task added or removed beside
/// a line ticked on the other side, which xdiff sees as one conflict): the three files are merged
/// with every box cleared, and if that is clean each task line gets its tick back three-way (the
/// side that changed it from the base wins; a line both sides added is ticked if either ticked it).
/// Task lines must be unique (once boxes are cleared) for this, and a tick must not be lost with a
/// task the other side removed or reworded; otherwise, or when the cleared merge conflicts too (a
/// real text conflict), nil: a person decides.
public enum ChecklistMerge {
    /// Long, unusual markers, so no real line of a task list is ever taken for one.
    static let markerSize = 37
    private static let labels = (base: "base", ours: "ours", theirs: "theirs")

    /// The merged file, or nil when a conflict is more than ticks (or a side is binary).
    /// Line endings (CRLF too) and a missing final newline are kept.
    public static func resolve(base: [UInt8], ours: [UInt8], theirs: [UInt8]) throws -> [UInt8]? {
        guard let merged = try TextMerge.merge3(base: base, ours: ours, theirs: theirs, favor: .none,
                                                labels: labels, markerSize: markerSize) else { return nil }
        if merged.conflictHunks == 0 { return merged.bytes }
        if let paired = pairHunks(merged, ours: ours, theirs: theirs) { return paired }
        return try mergeWithBoxesCleared(base: base, ours: ours, theirs: theirs)
    }

    /// Resolves each conflict hunk by pairing its lines (the union of ticks); nil if one does not pair.
    static func pairHunks(_ merged: TextMerge.Result, ours: [UInt8], theirs: [UInt8]) -> [UInt8]? {
        let lines = TextLine.split(merged.bytes)
        let open = marker("<", labels.ours), separator = marker("=", nil), close = marker(">", labels.theirs)
        var output: [UInt8] = []
        output.reserveCapacity(merged.bytes.count)
        var index = 0
        var hunks = 0
        while index < lines.count {
            guard lines[index].content.elementsEqual(open) else {
                output += lines[index].bytes
                index += 1
                continue
            }
            guard let middle = lines[(index + 1)...].firstIndex(where: { $0.content.elementsEqual(separator) }),
                  let end = lines[(middle + 1)...].firstIndex(where: { $0.content.elementsEqual(close) }) else {
                return nil  // markers not as xdiff writes them: do not guess
            }
            var oursLines = Array(lines[(index + 1)..<middle]), theirsLines = Array(lines[(middle + 1)..<end])
            // xdiff ends each side of a hunk with a newline; at the very end of the file put back a
            // missing final newline (both sides must agree on it).
            if end == lines.count - 1 {
                let oursOpen = endsWithoutNewline(ours), theirsOpen = endsWithoutNewline(theirs)
                guard oursOpen == theirsOpen else { return nil }
                if oursOpen {
                    if !oursLines.isEmpty { oursLines[oursLines.count - 1].ending = [] }
                    if !theirsLines.isEmpty { theirsLines[theirsLines.count - 1].ending = [] }
                }
            }
            guard let resolved = unionOfTicks(oursLines, theirsLines) else { return nil }
            for line in resolved { output += line.bytes }
            hunks += 1
            index = end + 1
        }
        // Every hunk xdiff counted must have been seen and resolved.
        return hunks == merged.conflictHunks ? output : nil
    }

    /// Merges the files with every box cleared, then puts each task line's tick back from the side
    /// that changed it; nil when that merge conflicts or a task line is not unique on some side.
    static func mergeWithBoxesCleared(base: [UInt8], ours: [UInt8], theirs: [UInt8]) throws -> [UInt8]? {
        let sides = [base, ours, theirs].map(TextLine.split)
        func cleared(_ lines: [TextLine]) -> [UInt8] {
            lines.flatMap { (Checkbox($0.content)?.unticked ?? Array($0.content)) + Array($0.ending) }
        }
        func boxes(_ lines: [TextLine]) -> [[UInt8]: [Checkbox]] {
            Dictionary(grouping: lines.compactMap { Checkbox($0.content) }, by: \.unticked)
        }
        guard let merged = try TextMerge.merge3(base: cleared(sides[0]), ours: cleared(sides[1]), theirs: cleared(sides[2]),
                                                favor: .none, labels: labels, markerSize: markerSize),
              merged.conflictHunks == 0 else { return nil }
        let (baseBoxes, oursBoxes, theirsBoxes) = (boxes(sides[0]), boxes(sides[1]), boxes(sides[2]))
        var output: [UInt8] = []
        output.reserveCapacity(merged.bytes.count)
        var survivors = Set<[UInt8]>()
        for line in TextLine.split(merged.bytes) {
            guard let box = Checkbox(line.content) else { output += line.bytes; continue }
            let b = baseBoxes[box.unticked] ?? [], o = oursBoxes[box.unticked] ?? [], t = theirsBoxes[box.unticked] ?? []
            guard b.count <= 1, o.count <= 1, t.count <= 1 else { return nil }
            let chosen: Checkbox
            switch (o.first, t.first) {
            case let (o?, t?):
                if let b = b.first { chosen = o.isTicked == b.isTicked ? t : o } else { chosen = o.isTicked ? o : t }
            case let (o?, nil): chosen = o
            case let (nil, t?): chosen = t
            case (nil, nil): return nil
            }
            var bytes = line.bytes
            bytes[box.markIndex] = chosen.mark
            output += bytes
            survivors.insert(box.unticked)
        }
        // A tick on a task the other side removed or reworded would vanish silently: complex.
        for side in [oursBoxes, theirsBoxes] {
            for (key, boxes) in side where !survivors.contains(key) {
                if boxes.contains(where: { $0.isTicked != (baseBoxes[key]?.first?.isTicked ?? false) }) { return nil }
            }
        }
        return output
    }

    /// Pairs the two sides line by line; nil unless every pair differs at most in its checkbox.
    static func unionOfTicks(_ ours: [TextLine], _ theirs: [TextLine]) -> [TextLine]? {
        guard ours.count == theirs.count else { return nil }
        var result: [TextLine] = []
        for (o, t) in zip(ours, theirs) {
            guard o.ending == t.ending else { return nil }
            if o.content == t.content { result.append(o); continue }
            guard let oursBox = Checkbox(o.content), let theirsBox = Checkbox(t.content),
                  oursBox.unticked == theirsBox.unticked else { return nil }
            result.append(oursBox.isTicked || !theirsBox.isTicked ? o : t)
        }
        return result
    }

    private static func marker(_ character: Character, _ label: String?) -> [UInt8] {
        Array((String(repeating: character, count: markerSize) + (label.map { " " + $0 } ?? "")).utf8)
    }

    private static func endsWithoutNewline(_ text: [UInt8]) -> Bool {
        !text.isEmpty && text.last != UInt8(ascii: "\n")
    }
}

/// A markdown task-list item: optional indentation, a bullet (`-`, `*`, `+`) or a number (`1.`,
/// `1)`), whitespace, then `[ ]`, `[x]` or `[X]`.
struct Checkbox {
    /// The line with its box cleared, for comparing two lines that may differ only in their tick.
    let unticked: [UInt8]
    let isTicked: Bool
    /// Where the box's mark is in the line, and the mark (" ", "x" or "X").
    let markIndex: Int
    let mark: UInt8

    init?(_ line: ArraySlice<UInt8>) {
        let bytes = Array(line)
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"):
            i += 1
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ")") else { return nil }
            i += 1
        default:
            return nil
        }
        let bulletEnd = i
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        guard i > bulletEnd, i + 2 < bytes.count, bytes[i] == UInt8(ascii: "["), bytes[i + 2] == UInt8(ascii: "]") else {
            return nil
        }
        markIndex = i + 1
        mark = bytes[i + 1]
        switch bytes[i + 1] {
        case UInt8(ascii: " "): isTicked = false
        case UInt8(ascii: "x"), UInt8(ascii: "X"): isTicked = true
        default: return nil
        }
        var cleared = bytes
        cleared[i + 1] = UInt8(ascii: " ")
        unticked = cleared
    }
}
