import GorchCore
import Testing

/// `TasksDocument.tick`: one box changes, every other byte stays.
@Suite(.timeLimit(.minutes(20))) struct PlanTickTests {
    static let text = """
        ## 1. Setup
        - [ ] 1.1 Create the package
        - [x] 1.2 Add the CLI target
          * [ ] 1.3 Document "[ ]" boxes in the README (Files: README.md)
        ```
        - [ ] 1.4 example in a fence
        ```
        - [ ] 1.4 the real one

        """

    @Test func ticksOnlyThatLine() throws {
        let ticked = try #require(TasksDocument.tick(Self.text, number: "1.1"))
        #expect(ticked == Self.text.replacingOccurrences(of: "- [ ] 1.1", with: "- [x] 1.1"))
        #expect(TasksDocument.parse(ticked).tasks.map(\.done) == [true, true, false, false])
    }

    @Test func laterBracketsInTheTextAreUntouched() throws {
        let ticked = try #require(TasksDocument.tick(Self.text, number: "1.3"))
        #expect(ticked == Self.text.replacingOccurrences(of: "* [ ] 1.3 Document \"[ ]\"", with: "* [x] 1.3 Document \"[ ]\""))
    }

    @Test func fencedExampleIsNotTheTask() throws {
        let ticked = try #require(TasksDocument.tick(Self.text, number: "1.4"))
        #expect(ticked == Self.text.replacingOccurrences(of: "- [ ] 1.4 the real one", with: "- [x] 1.4 the real one"))
        #expect(ticked.contains("- [ ] 1.4 example in a fence"))
    }

    @Test func idempotent() throws {
        #expect(TasksDocument.tick(Self.text, number: "1.2") == Self.text)
        let once = try #require(TasksDocument.tick(Self.text, number: "1.1"))
        #expect(TasksDocument.tick(once, number: "1.1") == once)
    }

    @Test(arguments: ["9.9", "1", "", "1.1 "])
    func unknownNumberIsNil(number: String) {
        #expect(TasksDocument.tick(Self.text, number: number) == nil)
    }

    @Test func crlfAndMissingFinalNewlineKept() throws {
        let text = "## 1. A\r\n- [ ] 1.1 a\r\n- [ ] 1.2 b"
        #expect(TasksDocument.tick(text, number: "1.1") == "## 1. A\r\n- [x] 1.1 a\r\n- [ ] 1.2 b")
        #expect(TasksDocument.tick(text, number: "1.2") == "## 1. A\r\n- [ ] 1.1 a\r\n- [x] 1.2 b")
    }

    @Test func generatedNumbersAndOddBoxes() throws {
        let text = "## 2. B\n- [\t] tab box\n-\u{00A0}[\u{3000}] ideographic space box é\n"
        #expect(TasksDocument.tick(text, number: "2.1") == "## 2. B\n- [x] tab box\n-\u{00A0}[\u{3000}] ideographic space box é\n")
        #expect(TasksDocument.tick(text, number: "2.2") == "## 2. B\n- [\t] tab box\n-\u{00A0}[x] ideographic space box é\n")
    }

    @Test func duplicateNumbersTickTheFirst() {
        let text = "- [ ] 1.1 one\n- [ ] 1.1 two\n"
        #expect(TasksDocument.tick(text, number: "1.1") == "- [x] 1.1 one\n- [ ] 1.1 two\n")
    }
}
