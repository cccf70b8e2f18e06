import Testing
@testable import GitKit
import GorchTestSupport

/// A content merge made once with placeholder labels and filled with the real ones must be the
/// bytes xdiff writes with the real labels, whatever the content, labels and marker size.
@Suite(.timeLimit(.minutes(20))) struct ContentMergeMemoTests {
    static func text(_ rng: inout SplitMix64, lines: Int, crlf: Bool) -> [UInt8] {
        let words = ["alpha", "beta", "<<<<<<< x", ">>>>>>>", "=======", "", "gamma delta", "  indent"]
        var out: [UInt8] = []
        for _ in 0..<lines {
            out += Array(words[Int(rng.next() % UInt64(words.count))].utf8)
            out += crlf ? [0x0D, 0x0A] : [0x0A]
        }
        return out
    }

    static func mutate(_ base: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var lines = base.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        for _ in 0..<(1 + Int(rng.next() % 4)) where !lines.isEmpty {
            let i = Int(rng.next() % UInt64(lines.count))
            switch rng.next() % 3 {
            case 0: lines[i] = Array("changed \(rng.next() % 5)".utf8)
            case 1: lines.remove(at: i)
            default: lines.insert(Array("inserted \(rng.next() % 5)".utf8), at: i)
            }
        }
        return Array(lines.joined(separator: [0x0A]))
    }

    @Test func filledTemplateEqualsTheDirectMerge() throws {
        var rng = SplitMix64(seed: 11)
        let labels = [("base", "main", "topic"), ("merged common ancestors", "main:a/b.txt", "task/7:a/c.txt"),
                      ("x", "caf\u{10FFE9}", "t\u{10FF00}"), ("", "", "")]   // raw bytes (RawPath escapes), empty
        var conflicted = 0
        for round in 0..<600 {
            let base = Self.text(&rng, lines: 1 + Int(rng.next() % 12), crlf: round % 5 == 0)
            let ours = Self.mutate(base, &rng), theirs = Self.mutate(base, &rng)
            let label = labels[round % labels.count]
            let markerSize = [7, 8, 9][round % 3]
            guard case .merged(let direct, let isConflict) = try ContentMerge.merge(base: base, ours: ours, theirs: theirs, labels: label, markerSize: markerSize),
                  case .merged(let template, _) = try ContentMerge.merge(base: base, ours: ours, theirs: theirs,
                                                                          labels: (label.0, LabelTemplate.ours, LabelTemplate.theirs), markerSize: markerSize)
            else { Issue.record("text merged as binary"); continue }
            if !isConflict { #expect(template == direct, "round \(round)"); continue }
            conflicted += 1
            #expect(LabelTemplate.fill(template, markerSize: markerSize, ours: label.1, theirs: label.2) == direct, "round \(round)")
        }
        #expect(conflicted > 100)
    }

    @Test func contentHoldingTheNonceIsNotFilled() throws {
        let base = Array("a\n".utf8), ours = Array("b \(LabelTemplate.nonce)\n".utf8), theirs = Array("c\n".utf8)
        guard case .merged(let template, true) = try ContentMerge.merge(base: base, ours: ours, theirs: theirs,
                                                                         labels: ("o", LabelTemplate.ours, LabelTemplate.theirs), markerSize: 7)
        else { Issue.record("expected a conflict"); return }
        #expect(LabelTemplate.fill(template, markerSize: 7, ours: "main", theirs: "topic") == nil)
    }
}
