import GitKit
import GorchCore
import GorchTestSupport
import Testing

/// gorch.resolve rules: reading them from config, matching paths, applying them.
@Suite(.timeLimit(.minutes(20))) struct ResolutionRulesTests {
    // MARK: globs

    @Test(arguments: [
        ("*.md", "README.md", true),
        ("*.md", "docs/a.md", true),
        ("*.md", "docs/deep/er/a.md", true),
        ("*.md", "a.mdx", false),
        ("*.md", "A.MD", false),                 // case-sensitive, like gitattributes
        ("CHANGELOG.md", "CHANGELOG.md", true),
        ("CHANGELOG.md", "pkg/CHANGELOG.md", true),
        ("CHANGELOG.md", "changelog.md", false),
        ("docs/*.md", "docs/a.md", true),
        ("docs/*.md", "docs/x/a.md", false),
        ("docs/*.md", "other/docs/a.md", false),   // with a slash: from the root
        ("/CHANGELOG.md", "CHANGELOG.md", true),
        ("/CHANGELOG.md", "pkg/CHANGELOG.md", false),
        ("docs/**/a.md", "docs/a.md", true),
        ("docs/**/a.md", "docs/x/a.md", true),
        ("docs/**/a.md", "docs/x/y/a.md", true),
        ("docs/**/a.md", "docs/x/y/b.md", false),
        ("**/a.md", "a.md", true),
        ("**/a.md", "x/y/a.md", true),
        ("docs/**", "docs/a.md", true),
        ("docs/**", "docs/x/y/z", true),
        ("docs/**", "docs", false),
        ("docs/**", "doc/a.md", false),
        ("**/generated/*.swift", "Sources/generated/A.swift", true),
        ("**/generated/*.swift", "Sources/generated/sub/A.swift", false),
        ("?.txt", "a.txt", true),
        ("?.txt", "ab.txt", false),
        ("d?cs/a", "d/cs/a", false),                // ? never matches /
        ("[ab].txt", "b.txt", true),
        ("[!ab].txt", "b.txt", false),
        (".beads/*.jsonl", ".beads/issues.jsonl", true),
        ("*", "any/path/at/all", true),
        ("a**b", "a/x/b", false),                   // ** inside a segment is a plain *
        ("a**b", "axxb", true),
    ])
    func globs(_ c: (glob: String, path: String, matches: Bool)) {
        #expect(ResolveRules.matches(glob: c.glob, path: c.path) == c.matches, "\(c.glob) vs \(c.path)")
    }

    // MARK: rules from entries

    @Test func keyFormAndMultiValuedFormLaterWins() throws {
        let rules = try ResolveRules(entries: [
            ("gorch.resolve.CHANGELOG.md", "union"),
            ("gorch.resolve", "docs/** ours"),
            ("gorch.resolve", "  docs/generated/*.md   theirs  "),
            ("gorch.resolvetimeout", "5"),            // not a rule: ignored
            ("gorch.target", "main"),
        ])
        #expect(rules.patterns.map(\.glob) == ["CHANGELOG.md", "docs/**", "docs/generated/*.md"])
        #expect(rules.rule(for: "CHANGELOG.md") == .union)
        #expect(rules.rule(for: "pkg/CHANGELOG.md") == .union)
        #expect(rules.rule(for: "docs/guide.md") == .ours)
        #expect(rules.rule(for: "docs/generated/api.md") == .theirs)
        #expect(rules.rule(for: "docs/CHANGELOG.md") == .ours)       // the later docs/** wins
        #expect(rules.rule(for: "src/main.swift") == nil)
    }

    @Test func laterEntriesOverrideEarlierOnes() throws {
        let rules = try ResolveRules(entries: [("gorch.resolve", "*.md union"), ("gorch.resolve", "*.md theirs")])
        #expect(rules.rule(for: "a.md") == .theirs)
    }

    @Test func ruleValuesIgnoreCaseAndGlobsMayHoldSpaces() throws {
        let rules = try ResolveRules(entries: [("gorch.resolve", "my notes/*.txt UNION"), ("gorch.resolve.x.lock", "Theirs")])
        #expect(rules.rule(for: "my notes/a.txt") == .union)
        #expect(rules.rule(for: "x.lock") == .theirs)
    }

    @Test func noEntriesNoRules() throws {
        let rules = try ResolveRules(entries: [])
        #expect(rules.patterns.isEmpty)
        #expect(rules.rule(for: "a") == nil)
    }

    @Test(arguments: [
        ("gorch.resolve.CHANGELOG.md", "merge", "merge"),
        ("gorch.resolve", "*.md both", "both"),
        ("gorch.resolve.x", "", ""),
    ])
    func unknownRuleNamesKeyValueAndAllowedValues(_ c: (name: String, value: String, rule: String)) {
        do {
            _ = try ResolveRules(entries: [(c.name, c.value)])
            Issue.record("expected an error")
        } catch let error as ResolveRulesError {
            #expect(error.message.contains(c.name))
            #expect(error.message.contains("\"\(c.value)\""))
            #expect(error.message.contains("\"\(c.rule)\""))
            #expect(error.hint.contains("union, ours, theirs"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func multiValuedFormWithoutARuleIsAnError() {
        #expect(throws: ResolveRulesError.self) { try ResolveRules(entries: [("gorch.resolve", "docs/**")]) }
        #expect(throws: ResolveRulesError.self) { try ResolveRules(entries: [("gorch.resolve", "")]) }
    }

    @Test func directoryPatternIsAnErrorThatSuggestsStarStar() throws {
        let error = try #require(throws: ResolveRulesError.self) { try ResolveRules(entries: [("gorch.resolve", "docs/ ours")]) }
        #expect(error.hint.contains("docs/**"))
    }

    /// The names git really hands over: subsection case kept, last part lowercased.
    @Test func rulesReadFromARealConfig() throws {
        ProcessIsolation.apply()
        let repo = try TempRepo(label: #function)
        try repo.git("config", "gorch.resolve.CHANGELOG.md", "union")
        try repo.git("config", "gorch.resolve.README", "ours")
        try repo.git("config", "--add", "gorch.resolve", "docs/** theirs")
        try repo.git("config", "--add", "gorch.resolve", "*.lock ours")
        try repo.git("config", "gorch.target", "main")
        let entries = try Repository.open(at: repo.path).configEntries(matchingPrefix: "gorch.resolve")
        let rules = try ResolveRules(entries: entries)
        #expect(rules.patterns.map(\.glob) == ["CHANGELOG.md", "readme", "docs/**", "*.lock"])
        #expect(rules.rule(for: "CHANGELOG.md") == .union)
        #expect(rules.rule(for: "README") == nil)      // git lowercased the key: use the multi-valued form
        #expect(rules.rule(for: "docs/x/y.md") == .theirs)
        #expect(rules.rule(for: "Package.lock") == .ours)
    }

    // MARK: applying a rule

    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    let base = "a\nb\nc\n", ours = "a\nours\nc\n", theirs = "a\ntheirs\nc\n"

    @Test func textConflictFollowsTheRule() throws {
        #expect(try RuleMerge.resolve(rule: .ours, base: bytes(base), ours: bytes(ours), theirs: bytes(theirs))
            == .content(bytes(ours)))
        #expect(try RuleMerge.resolve(rule: .theirs, base: bytes(base), ours: bytes(ours), theirs: bytes(theirs))
            == .content(bytes(theirs)))
        #expect(try RuleMerge.resolve(rule: .union, base: bytes(base), ours: bytes(ours), theirs: bytes(theirs))
            == .content(bytes("a\nours\ntheirs\nc\n")))
    }

    @Test func nonConflictingChangesFromBothSidesStay() throws {
        let base = "1\n2\n3\n4\n5\n6\n7\n8\n9\n", ours = "1\nO\n3\n4\n5\n6\n7\n8\nours end\n"
        let theirs = "1\nT\n3\n4\n5\n6\n7\nEIGHT\n9\n"
        #expect(try RuleMerge.resolve(rule: .ours, base: bytes(base), ours: bytes(ours), theirs: bytes(theirs))
            == .content(bytes("1\nO\n3\n4\n5\n6\n7\n8\nours end\n")))
        #expect(try RuleMerge.resolve(rule: .theirs, base: bytes(base), ours: bytes(ours), theirs: bytes(theirs))
            == .content(bytes("1\nT\n3\n4\n5\n6\n7\nEIGHT\n9\n")))
        // Far-apart edits merge as usual; only the conflicting hunk follows the rule.
        let far = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n"
        let farOurs = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nK ours\nl\n", farTheirs = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nK theirs\nL\n"
        #expect(try RuleMerge.resolve(rule: .theirs, base: bytes(far), ours: bytes(farOurs), theirs: bytes(farTheirs))
            == .content(bytes("a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nK theirs\nL\n")))
    }

    @Test func addAddMergesAgainstAnEmptyBase() throws {
        #expect(try RuleMerge.resolve(rule: .union, base: nil, ours: bytes("x\n"), theirs: bytes("y\n")) == .content(bytes("x\ny\n")))
        #expect(try RuleMerge.resolve(rule: .theirs, base: nil, ours: bytes("x\n"), theirs: bytes("y\n")) == .content(bytes("y\n")))
    }

    @Test func modifyDeleteTakesTheChosenSide() throws {
        #expect(try RuleMerge.resolve(rule: .ours, base: bytes(base), ours: bytes(ours), theirs: nil) == .content(bytes(ours)))
        #expect(try RuleMerge.resolve(rule: .theirs, base: bytes(base), ours: bytes(ours), theirs: nil) == .delete)
        #expect(try RuleMerge.resolve(rule: .ours, base: bytes(base), ours: nil, theirs: bytes(theirs)) == .delete)
        #expect(try RuleMerge.resolve(rule: .theirs, base: bytes(base), ours: nil, theirs: bytes(theirs)) == .content(bytes(theirs)))
    }

    @Test func unionCannotDecideModifyDelete() throws {
        #expect(try RuleMerge.resolve(rule: .union, base: bytes(base), ours: bytes(ours), theirs: nil) == .unresolved)
        #expect(try RuleMerge.resolve(rule: .union, base: bytes(base), ours: nil, theirs: bytes(theirs)) == .unresolved)
    }

    @Test func binaryTakesTheChosenSideExceptUnion() throws {
        let binaryOurs: [UInt8] = [1, 0, 2], binaryTheirs: [UInt8] = [3, 0, 4], binaryBase: [UInt8] = [0]
        #expect(try RuleMerge.resolve(rule: .ours, base: binaryBase, ours: binaryOurs, theirs: binaryTheirs) == .content(binaryOurs))
        #expect(try RuleMerge.resolve(rule: .theirs, base: binaryBase, ours: binaryOurs, theirs: binaryTheirs) == .content(binaryTheirs))
        #expect(try RuleMerge.resolve(rule: .union, base: binaryBase, ours: binaryOurs, theirs: binaryTheirs) == .unresolved)
        #expect(try RuleMerge.resolve(rule: .union, base: bytes(base), ours: bytes(ours), theirs: binaryTheirs) == .unresolved)
    }
}
