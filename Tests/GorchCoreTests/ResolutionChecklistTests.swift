import GorchCore
import Testing

/// tasks.md merges: checkbox-only conflicts resolve to the union of ticks; anything else is complex.
@Suite(.timeLimit(.minutes(20))) struct ResolutionChecklistTests {
    private func resolve(_ base: String, _ ours: String, _ theirs: String) throws -> String? {
        try ChecklistMerge.resolve(base: Array(base.utf8), ours: Array(ours.utf8), theirs: Array(theirs.utf8))
            .map { String(decoding: $0, as: UTF8.self) }
    }

    static let base = """
        ## 1. Setup
        - [ ] 1.1 Create the package
        - [ ] 1.2 Add the CLI target
        - [ ] 1.3 Write the README

        """

    @Test func adjacentTicksOnBothSidesUnion() throws {
        let ours = Self.base.replacingOccurrences(of: "[ ] 1.1", with: "[x] 1.1")
        let theirs = Self.base.replacingOccurrences(of: "[ ] 1.2", with: "[x] 1.2")
        #expect(try resolve(Self.base, ours, theirs) == """
            ## 1. Setup
            - [x] 1.1 Create the package
            - [x] 1.2 Add the CLI target
            - [ ] 1.3 Write the README

            """)
    }

    @Test func sameTickOnBothSidesIsClean() throws {
        let ticked = Self.base.replacingOccurrences(of: "[ ] 1.3", with: "[x] 1.3")
        #expect(try resolve(Self.base, ticked, ticked) == ticked)
    }

    @Test func tickKeepsTheTickingSidesLetter() throws {
        let ours = Self.base.replacingOccurrences(of: "[ ] 1.1", with: "[X] 1.1")
        let theirs = Self.base.replacingOccurrences(of: "[ ] 1.2", with: "[x] 1.2")
        let merged = try #require(try resolve(Self.base, ours, theirs))
        #expect(merged.contains("- [X] 1.1"))
        #expect(merged.contains("- [x] 1.2"))
    }

    @Test func bothSidesTickingDifferentlyInOneHunkKeepsOursLetter() throws {
        let ours = Self.base.replacingOccurrences(of: "[ ] 1.1", with: "[X] 1.1")
        let theirs = Self.base.replacingOccurrences(of: "[ ] 1.1", with: "[x] 1.1")
            .replacingOccurrences(of: "[ ] 1.2", with: "[x] 1.2")
        let merged = try #require(try resolve(Self.base, ours, theirs))
        #expect(merged.contains("- [X] 1.1"))
        #expect(merged.contains("- [x] 1.2"))
    }

    /// Union of ticks: a box unticked on one side and ticked (kept) on the other stays ticked
    /// when the two edits meet in one hunk.
    @Test func untickLosesToATickInTheSameHunk() throws {
        let base = "- [x] a\n- [ ] b\n"
        #expect(try resolve(base, "- [ ] a\n- [ ] b\n", "- [x] a\n- [x] b\n") == "- [x] a\n- [x] b\n")
    }

    @Test func farApartChangesMergeCleanlyAsGitWould() throws {
        let base = (1...12).map { "- [ ] task \($0)" }.joined(separator: "\n") + "\n"
        let ours = base.replacingOccurrences(of: "[ ] task 1\n", with: "[x] task 1\n")
        let theirs = base.replacingOccurrences(of: "[ ] task 12", with: "[x] task 12")
            .replacingOccurrences(of: "task 7\n", with: "task 7 (reworded)\n")
        let merged = try #require(try resolve(base, ours, theirs))
        #expect(merged.contains("- [x] task 1\n"))
        #expect(merged.contains("- [x] task 12\n"))
        #expect(merged.contains("- [ ] task 7 (reworded)\n"))
    }

    @Test(arguments: [
        ("* [ ] a\n* [ ] b\n", "* [x] a\n* [ ] b\n", "* [ ] a\n* [x] b\n", "* [x] a\n* [x] b\n"),
        ("+ [ ] a\n+ [ ] b\n", "+ [x] a\n+ [ ] b\n", "+ [ ] a\n+ [x] b\n", "+ [x] a\n+ [x] b\n"),
        ("1. [ ] a\n2. [ ] b\n", "1. [x] a\n2. [ ] b\n", "1. [ ] a\n2. [x] b\n", "1. [x] a\n2. [x] b\n"),
        ("1) [ ] a\n2) [ ] b\n", "1) [x] a\n2) [ ] b\n", "1) [ ] a\n2) [x] b\n", "1) [x] a\n2) [x] b\n"),
        ("  - [ ] a\n\t- [ ] b\n", "  - [x] a\n\t- [ ] b\n", "  - [ ] a\n\t- [x] b\n", "  - [x] a\n\t- [x] b\n"),
        ("-   [ ] a\n- [ ] b\n", "-   [x] a\n- [ ] b\n", "-   [ ] a\n- [x] b\n", "-   [x] a\n- [x] b\n"),
    ])
    func listForms(_ c: (String, String, String, String)) throws {
        #expect(try resolve(c.0, c.1, c.2) == c.3)
    }

    @Test func crlfFileKeepsItsLineEndings() throws {
        let base = "# Tasks\r\n- [ ] a\r\n- [ ] b\r\n- [ ] c\r\n"
        let merged = try resolve(base, "# Tasks\r\n- [x] a\r\n- [ ] b\r\n- [ ] c\r\n", "# Tasks\r\n- [ ] a\r\n- [x] b\r\n- [ ] c\r\n")
        #expect(merged == "# Tasks\r\n- [x] a\r\n- [x] b\r\n- [ ] c\r\n")
    }

    @Test func missingFinalNewlineStaysMissing() throws {
        let base = "# Tasks\n- [ ] a\n- [ ] b"
        #expect(try resolve(base, "# Tasks\n- [x] a\n- [ ] b", "# Tasks\n- [ ] a\n- [x] b") == "# Tasks\n- [x] a\n- [x] b")
    }

    @Test func missingFinalNewlineInCRLFStaysMissing() throws {
        let base = "# Tasks\r\n- [ ] a\r\n- [ ] b"
        #expect(try resolve(base, "# Tasks\r\n- [x] a\r\n- [ ] b", "# Tasks\r\n- [ ] a\r\n- [x] b")
            == "# Tasks\r\n- [x] a\r\n- [x] b")
    }

    /// The hunks don't pair (the last lines differ in their newline), but with boxes cleared
    /// theirs' added newline merges cleanly and both ticks come back.
    @Test func finalNewlineAddedOnOneSideMergesWithBothTicks() throws {
        let base = "- [ ] a\n- [ ] b"
        #expect(try resolve(base, "- [x] a\n- [ ] b", "- [ ] a\n- [x] b\n") == "- [x] a\n- [x] b\n")
    }

    @Test func cleanMergeIsReturnedAsIs() throws {
        let base = "- [ ] a\n\nsome text\n\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n"
        let ours = "- [x] a\n\nsome text\n\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n"
        let theirs = "- [ ] a\n\nsome text\n\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n- [ ] f added"
        #expect(try resolve(base, ours, theirs) == "- [x] a\n\nsome text\n\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n- [ ] f added")
    }

    // MARK: complex conflicts stay for a person

    @Test func textEditsInTheSameHunkAreComplex() throws {
        let ours = Self.base.replacingOccurrences(of: "1.1 Create the package", with: "1.1 Create the Swift package")
        let theirs = Self.base.replacingOccurrences(of: "1.1 Create the package", with: "1.1 Create the package (SwiftPM)")
        #expect(try resolve(Self.base, ours, theirs) == nil)
    }

    @Test func tickAgainstATextEditOfTheSameLineIsComplex() throws {
        let ours = Self.base.replacingOccurrences(of: "[ ] 1.2", with: "[x] 1.2")
        let theirs = Self.base.replacingOccurrences(of: "1.2 Add the CLI target", with: "1.2 Add the CLI and its tests")
        #expect(try resolve(Self.base, ours, theirs) == nil)
    }

    /// git conflicts here (xdiff treats touching changes as one conflict) and the hunk's sides have
    /// different lengths; with boxes cleared the added task merges cleanly and the tick comes back.
    @Test func taskAddedOnOneSideNextToATickOnTheOtherResolves() throws {
        let base = "- [ ] a\n- [ ] b\n"
        #expect(try resolve(base, "- [x] a\n- [ ] b\n", "- [ ] a\n- [ ] new\n- [ ] b\n") == "- [x] a\n- [ ] new\n- [ ] b\n")
        #expect(try resolve(base, "- [ ] a\n- [x] b\n", "- [ ] a\n- [ ] b\n- [ ] new\n") == "- [ ] a\n- [x] b\n- [ ] new\n")
        #expect(try resolve(base, "- [ ] new\n- [ ] a\n- [ ] b\n", "- [x] a\n- [ ] b\n") == "- [ ] new\n- [x] a\n- [ ] b\n")
    }

    @Test func taskRemovedOnOneSideNextToATickOnTheOtherResolves() throws {
        let base = "- [ ] a\n- [ ] b\n- [ ] c\n"
        #expect(try resolve(base, "- [x] a\n- [ ] b\n- [ ] c\n", "- [ ] a\n- [ ] c\n") == "- [x] a\n- [ ] c\n")
    }

    /// Three-way where the base is known: an untick on one side beats an unchanged tick.
    @Test func outsidePairedHunksAnUntickIsKept() throws {
        let base = "- [x] a\n- [ ] b\n- [ ] c\n"
        #expect(try resolve(base, "- [ ] a\n- [ ] b\n- [ ] c\n", "- [x] a\n- [ ] new\n- [ ] b\n- [ ] c\n")
            == "- [ ] a\n- [ ] new\n- [ ] b\n- [ ] c\n")
    }

    @Test func tickOnATaskTheOtherSideDeletedIsComplex() throws {
        let base = "- [ ] a\n- [ ] b\n- [ ] c\n"
        #expect(try resolve(base, "- [x] a\n- [ ] c\n", "- [ ] a\n- [x] b\n- [ ] c\n") == nil)
    }

    @Test func duplicateTaskLinesAreComplexWhenHunksDoNotPair() throws {
        let base = "- [ ] a\n- [ ] a\n"
        #expect(try resolve(base, "- [x] a\n- [ ] a\n", "- [ ] a\n- [ ] new\n- [ ] a\n") == nil)
    }

    @Test func nonCheckboxLinesDifferingAreComplex() throws {
        #expect(try resolve("intro\n- [ ] a\n", "Intro\n- [x] a\n", "intro.\n- [ ] a\n") == nil)
    }

    @Test func checkboxAgainstPlainBulletIsComplex() throws {
        #expect(try resolve("- [ ] a\n- [ ] b\n", "- [x] a\n- [ ] b\n", "- a\n- [x] b\n") == nil)
    }

    @Test func bulletStyleChangeIsComplex() throws {
        #expect(try resolve("- [ ] a\n- [ ] b\n", "- [x] a\n- [ ] b\n", "* [ ] a\n- [x] b\n") == nil)
    }

    @Test func binaryIsComplex() throws {
        #expect(try ChecklistMerge.resolve(base: [0x2d, 0x00], ours: [0x2d, 0x01], theirs: [0x2d, 0x02]) == nil)
    }

    /// Lines that look like git's usual 7-character markers are content, not markers.
    @Test func sevenCharacterMarkersInTheFileAreJustText() throws {
        let base = "<<<<<<< ours\n- [ ] a\n- [ ] b\n=======\n"
        let merged = try resolve(base, "<<<<<<< ours\n- [x] a\n- [ ] b\n=======\n", "<<<<<<< ours\n- [ ] a\n- [x] b\n=======\n")
        #expect(merged == "<<<<<<< ours\n- [x] a\n- [x] b\n=======\n")
    }

    @Test func severalHunksAllResolve() throws {
        let base = (1...20).map { "- [ ] t\($0)" }.joined(separator: "\n") + "\n"
        var ours = base, theirs = base
        for n in [1, 10, 19] { ours = ours.replacingOccurrences(of: "[ ] t\(n)\n", with: "[x] t\(n)\n") }
        for n in [2, 11, 20] { theirs = theirs.replacingOccurrences(of: "[ ] t\(n)\n", with: "[x] t\(n)\n") }
        let expected = (1...20).map { [1, 2, 10, 11, 19, 20].contains($0) ? "- [x] t\($0)" : "- [ ] t\($0)" }
            .joined(separator: "\n") + "\n"
        #expect(try resolve(base, ours, theirs) == expected)
    }

    @Test func oneComplexHunkAmongTrivialOnesFailsTheWholeFile() throws {
        let base = (1...20).map { "- [ ] t\($0)" }.joined(separator: "\n") + "\n"
        let ours = base.replacingOccurrences(of: "[ ] t1\n", with: "[x] t1\n").replacingOccurrences(of: "t15\n", with: "t15 ours\n")
        let theirs = base.replacingOccurrences(of: "[ ] t2\n", with: "[x] t2\n").replacingOccurrences(of: "t15\n", with: "t15 theirs\n")
        #expect(try resolve(base, ours, theirs) == nil)
    }
}
