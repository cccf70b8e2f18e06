@testable import GorchCore
import Testing

/// `TaskNumbering` against the rule OpenSpec 1.9+ applies in `validate` (task-numbering.ts): ids
/// declared twice and leading numbers that disagree with their `## N.` group, with its wording.
@Suite(.timeLimit(.minutes(20))) struct TaskNumberingTests {
    private func lines(_ text: String) -> [Int] { TaskNumbering.issues(in: text).map(\.line) }

    @Test func aCleanListHasNoIssue() {
        let text = "# Tasks\n\n## 1. Setup\n- [ ] 1.1 One\n- [x] 1.2 Two\n\n## 2. Build\n- [ ] 2.1 Three\n  - [ ] 2.1.1 Nested\n"
        #expect(TaskNumbering.issues(in: text).isEmpty)
    }

    @Test func aDuplicateNamesTheFirstLine() {
        let text = "## 1. Setup\n- [ ] 1.1 One\n- [ ] 1.1 Again\n"
        #expect(TaskNumbering.issues(in: text) == [.init(line: 3, message: "Task ID \"1.1\" is duplicated; it was first declared on line 2.")])
    }

    @Test func aNumberUnderAnotherGroup() {
        let text = "## 1. Setup\n- [ ] 1.1 One\n## 2. Build\n- [ ] 1.2 Misplaced\n"
        #expect(TaskNumbering.issues(in: text) == [.init(
            line: 4, message: "Task \"1.2\" is under group 2, but its leading number points to group 1. Move it to group 1 or renumber it.")])
    }

    @Test func bothAtOnceInFileOrder() {
        let text = "## 1. A\n- [ ] 1.1 x\n## 2. B\n- [ ] 1.1 y\n"
        #expect(TaskNumbering.issues(in: text).map(\.message) == [
            "Task \"1.1\" is under group 2, but its leading number points to group 1. Move it to group 1 or renumber it.",
            "Task ID \"1.1\" is duplicated; it was first declared on line 2.",
        ])
    }

    @Test func leadingZerosCompareAsNumbers() {
        #expect(lines("## 01. Setup\n- [ ] 1.1 One\n- [ ] 001.2 Two\n").isEmpty)
        #expect(lines("## 1. Setup\n- [ ] 01.1 One\n- [ ] 1.1 Two\n").isEmpty)   // ids compare as written
    }

    @Test func withoutANumberedGroupNothingIsChecked() {
        #expect(lines("## Setup\n- [ ] 1.1 One\n- [ ] 1.1 One again\n").isEmpty)
        #expect(lines("- [ ] 1.1 One\n- [ ] 1.1 Two\n").isEmpty)
    }

    @Test func anUnnumberedHeadingEndsTheGroupButNotDuplicates() {
        // Under "## Notes" there is no group to disagree with; the id is still a duplicate.
        #expect(lines("## 1. Setup\n- [ ] 1.1 One\n## Notes\n- [ ] 3.1 Elsewhere\n- [ ] 1.1 Twice\n") == [5])
        // "###" is not a level-two heading: the group stays 1.
        #expect(lines("## 1. Setup\n### Detail\n- [ ] 2.1 Wrong\n") == [3])
        // Four spaces make it no heading at all.
        #expect(lines("## 1. Setup\n    ## 2. Code\n- [ ] 1.2 Fine\n").isEmpty)
    }

    @Test func whatCountsAsATaskAndAnID() {
        let text = "## 1. Setup\n* [X] 2.1 star bullet\n+ [ ] 3.1 plus is no task in 1.10\n- [ ] 4 no dot\n"
            + "- [ ] 5.1a letters\n- [ ] 6.1.x not an id\n- [ ] 7.1: colon is no boundary\n- [ ] unnumbered\n\t-\t[\t]\t8.1 tabs\n"
        #expect(TaskNumbering.issues(in: text).map(\.line) == [2, 5, 9])
        #expect(TaskNumbering.issues(in: text)[1].message.contains("\"5.1a\""))
    }

    @Test func crlfLinesAndHeadings() {
        #expect(lines("## 1. Setup\r\n- [ ] 1.1 One\r\n- [ ] 1.1 Two\r\n## 2.\r\n- [ ] 1.3 Three\r\n") == [3, 5])
        #expect(TaskNumbering.issues(in: "## 1. A\r\n- [ ] 1.1 x\r\n- [ ] 1.1 y\r\n")[0].message.contains("\"1.1\" is duplicated"))
    }
}
