import Foundation

/// Three-way content merges kept by blob triple. Pairs of branches that share a side and a base
/// merge the same three blobs again and again (over 1,000 corpus branch-tip pairs, half of the
/// ~10,000 content merges repeat a triple), and xdiff's merge is a pure function of the three
/// blobs, the marker size and the labels. The labels only appear on the conflict marker lines
/// (`<<<<<<< ours`, `>>>>>>> theirs`: merge style, no ancestor line), so a merge is made once
/// with placeholder labels and the real ones are written into that template on each use.
struct ContentMergeKey: Hashable {
    let base: OID   // zero when there is no base (two-way: the base is empty)
    let ours: OID
    let theirs: OID
    let markerSize: Int
}

enum MemoisedMerge {
    /// The merged bytes; when conflicted, with `LabelTemplate`'s placeholders on marker lines.
    case merged(template: [UInt8], conflicted: Bool)
    case binary

    var byteCount: Int {
        if case .merged(let template, _) = self { return template.count }
        return 0
    }
}

enum LabelTemplate {
    /// Random per process: content that contains it (never, in practice) is merged with the
    /// real labels instead, see `fill`.
    static let nonce: String = {
        var generator = SystemRandomNumberGenerator()
        return "gorch-label-" + (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }()
    static let ours = nonce + "-ours", theirs = nonce + "-theirs"
    /// The same as bytes, made once: `fill` runs for every conflicted merge.
    private static let nonceBytes = Array(nonce.utf8), oursBytes = Array(ours.utf8), theirsBytes = Array(theirs.utf8)

    /// The template with the placeholders after `<<<<<<< ` and `>>>>>>> ` (at line starts)
    /// replaced by the labels' bytes, exactly where xdiff would have written them; nil when the
    /// nonce also occurs anywhere else (then the template cannot be told apart from content).
    static func fill(_ template: [UInt8], markerSize: Int, ours: String, theirs: String) -> [UInt8]? {
        // As C strings: xdiff copies a label up to its first NUL.
        let oursLabel = Array(RawPath.bytes(ours).prefix { $0 != 0 }), theirsLabel = Array(RawPath.bytes(theirs).prefix { $0 != 0 })
        let oursPlaceholder = oursBytes, theirsPlaceholder = theirsBytes
        return template.withUnsafeBufferPointer { t -> [UInt8]? in
            guard let base = t.baseAddress else { return template }
            let count = t.count
            var out: [UInt8] = []
            out.reserveCapacity(count + 2 * max(oursLabel.count, theirsLabel.count))
            var copied = 0, replaced = 0, line = 0
            while line < count {
                // A marker line: markerSize '<' (or '>'), a space, the placeholder.
                let c = t[line]
                if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") {
                    let (placeholder, label) = c == UInt8(ascii: "<") ? (oursPlaceholder, oursLabel) : (theirsPlaceholder, theirsLabel)
                    let start = line + markerSize + 1
                    if start + placeholder.count <= count, t[start - 1] == 0x20,
                       (line..<(start - 1)).allSatisfy({ t[$0] == c }),
                       memcmp(base + start, placeholder, placeholder.count) == 0 {
                        out.append(contentsOf: t[copied..<start])
                        out.append(contentsOf: label)
                        copied = start + placeholder.count
                        replaced += 1
                    }
                }
                guard let newline = memchr(base + line, 0x0A, count - line) else { break }
                line = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
            }
            out.append(contentsOf: t[copied..<count])
            return occurrences(of: nonceBytes, in: t) == replaced ? out : nil
        }
    }

    private static func occurrences(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = haystack.baseAddress else { return 0 }
        var n = 0, offset = 0
        // memchr for the first byte, then memcmp (glibc's memmem is not visible to Swift).
        while offset + needle.count <= haystack.count, let hit = memchr(base + offset, Int32(needle[0]), haystack.count - offset) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            guard at + needle.count <= haystack.count else { break }
            if memcmp(base + at, needle, needle.count) == 0 { n += 1; offset = at + needle.count } else { offset = at + 1 }
        }
        return n
    }
}
