import GorchCore
import Testing

/// tasks.md parsing: phases, numbers, annotations, OpenSpec's checkbox rule minus code fences.
@Suite(.timeLimit(.minutes(20))) struct PlanParserTests {
    typealias Task = TasksDocument.Task

    @Test func openSpecTemplate() {
        let document = TasksDocument.parse("""
            ## 1. Group

            - [ ] 1.1 Description

            """)
        #expect(document.phases == [.init(number: 1, title: "Group", tasks: [
            Task(number: "1.1", text: "Description", files: nil, after: [], done: false, line: 3),
        ])])
        #expect(document.unchecked == 1)
        #expect(document.mode == "sequential")
    }

    static let twoPhases = """
        # Tasks

        ## 1. Backend
        - [ ] 1.1 Add the login endpoint (Files: api/login.py, api/__init__.py)
        - [x] 1.2 Add the session table (Files: db/schema.sql)
        - [ ] 1.3 Wire the middleware (after 1.1, 1.2) (Files: api/middleware.py)

        ## 2. Frontend
        - [ ] 2.1 Login form (Files: web/*.js, `web/login.html`)
        - [ ] 2.2 Logout button (Files: web/nav.js) (after 2.1)
        - [ ] 2.3 Docs, written after 2.1 and 2.2 (after 2.1 and 2.2)

        """

    @Test func sixTasksInTwoPhasesWithAnnotations() {
        let document = TasksDocument.parse(Self.twoPhases)
        #expect(document.phases.map(\.number) == [1, 2])
        #expect(document.phases.map(\.title) == ["Backend", "Frontend"])
        #expect(document.tasks == [
            Task(number: "1.1", text: "Add the login endpoint", files: ["api/login.py", "api/__init__.py"], after: [], done: false, line: 4),
            Task(number: "1.2", text: "Add the session table", files: ["db/schema.sql"], after: [], done: true, line: 5),
            Task(number: "1.3", text: "Wire the middleware", files: ["api/middleware.py"], after: ["1.1", "1.2"], done: false, line: 6),
            Task(number: "2.1", text: "Login form", files: ["web/*.js", "web/login.html"], after: [], done: false, line: 9),
            Task(number: "2.2", text: "Logout button", files: ["web/nav.js"], after: ["2.1"], done: false, line: 10),
            Task(number: "2.3", text: "Docs, written after 2.1 and 2.2", files: nil, after: ["2.1", "2.2"], done: false, line: 11),
        ])
        #expect(document.unchecked == 5)
        #expect(document.mode == "parallel-phases")
        #expect(document.task("2.2")?.line == 10)
    }

    @Test func annotationVariants() {
        let document = TasksDocument.parse("""
            ## 1. A
            - [ ] 1.1 Lower case (files: a.py ,  b.py , )
            - [ ] 1.2 Upper case (FILES: c.py)(AFTER: 1.1)
            - [ ] 1.3 Prose stays (after the migration)
            - [ ] 1.4 A phase is not a task number (after 2)
            - [ ] 1.5 Annotation in the middle (Files: x.py) is text
            - [ ] 1.6 Empty files list (Files: )
            - [ ] 1.7 Two files groups (Files: a.py) (Files: b.py)
            - [ ] 1.8 (Files: only.py)
            - [ ] 1.9 Nested (Files: a(1).py)
            """)
        let tasks = document.tasks
        #expect(tasks[0].files == ["a.py", "b.py"] && tasks[0].text == "Lower case")
        #expect(tasks[1].files == ["c.py"] && tasks[1].after == ["1.1"] && tasks[1].text == "Upper case")
        #expect(tasks[2].text == "Prose stays (after the migration)" && tasks[2].after == [])
        #expect(tasks[3].text == "A phase is not a task number (after 2)" && tasks[3].after == [])
        #expect(tasks[4].text == "Annotation in the middle (Files: x.py) is text" && tasks[4].files == nil)
        #expect(tasks[5].text == "Empty files list" && tasks[5].files == nil)
        #expect(tasks[6].files == ["a.py", "b.py"])
        #expect(tasks[7].text == "" && tasks[7].files == ["only.py"])
        #expect(tasks[8].text == "Nested (Files: a(1).py)" && tasks[8].files == nil)
    }

    @Test func mixedTicksIndentationAndStars() {
        let document = TasksDocument.parse("""
            ## 1. Mixed
            - [x] 1.1 lower x
            - [X] 1.2 upper X
            * [ ] 1.3 star
              - [ ] 1.3.1 indented sub-task
            \t*\t[\t]\t1.4 tabs everywhere
            -[ ]1.5 no spaces at all
            - [ ] 1.6. trailing dot
            - [y] not a box
            - [] not a box either
            -  [  ] two spaces in the box is not a box
            + [ ] plus is not a marker
            """)
        #expect(document.tasks.map(\.number) == ["1.1", "1.2", "1.3", "1.3.1", "1.4", "1.5", "1.6"])
        #expect(document.tasks.map(\.done) == [true, true, false, false, false, false, false])
        #expect(document.tasks.map(\.text) == ["lower x", "upper X", "star", "indented sub-task", "tabs everywhere",
                                               "no spaces at all", "trailing dot"])
        #expect(document.unchecked == 5)
    }

    @Test func numbersAreGeneratedWhenMissing() {
        let document = TasksDocument.parse("""
            ## 3. Unnumbered
            - [ ] first
            - [ ] 3.2 second
            - [ ] 1.2.3.4 four levels is not a number
            - [ ] 12 a plain integer is not a number
            - [ ] 1.2x glued is not a number
            """)
        #expect(document.tasks.map(\.number) == ["3.1", "3.2", "3.3", "3.4", "3.5"])
        #expect(document.tasks.map(\.text) == ["first", "second", "1.2.3.4 four levels is not a number",
                                               "12 a plain integer is not a number", "1.2x glued is not a number"])
    }

    @Test func duplicateNumbersAreKept() {
        let document = TasksDocument.parse("""
            ## 1. A
            - [ ] 1.1 one
            - [ ] 1.1 again
            - [ ] generated as 1.3
            - [ ] 1.3 written
            """)
        #expect(document.tasks.map(\.number) == ["1.1", "1.1", "1.3", "1.3"])
        #expect(document.task("1.1")?.text == "one")
    }

    @Test func codeFencesAreSkipped() {
        let document = TasksDocument.parse("""
            ## 1. Real
            - [ ] 1.1 real task
              ```markdown
              - [ ] 1.2 example inside a fence
              ## 2. Not a heading
              ```
            ~~~~
            - [ ] 1.3 tilde fence
            ~~~
            - [ ] 1.4 still inside: the closing run is shorter
            ~~~~~
            - [ ] 1.5 after the fences
            - [ ] 1.6 inline ```code``` is not a fence
            ```x```
            - [ ] 1.7 a backtick line with backticks in its info string is not a fence
            """)
        #expect(document.phases.count == 1)
        #expect(document.tasks.map(\.number) == ["1.1", "1.5", "1.6", "1.7"])
    }

    @Test func unclosedFenceRunsToTheEnd() {
        let document = TasksDocument.parse("- [ ] 1.1 before\n```\n- [ ] 1.2 hidden\n")
        #expect(document.tasks.map(\.number) == ["1.1"])
    }

    @Test func crlfAndNoFinalNewline() {
        let text = "## 1. Windows\r\n- [ ] 1.1 first (Files: a.py)\r\n- [x] 1.2 second\r\n\r\n## 2. Two\r\n- [ ] 2.1 last"
        let document = TasksDocument.parse(text)
        #expect(document.phases.map(\.title) == ["Windows", "Two"])
        #expect(document.tasks == [
            Task(number: "1.1", text: "first", files: ["a.py"], after: [], done: false, line: 2),
            Task(number: "1.2", text: "second", files: nil, after: [], done: true, line: 3),
            Task(number: "2.1", text: "last", files: nil, after: [], done: false, line: 6),
        ])
    }

    @Test func tasksBeforeAnyHeadingMakePhaseZero() {
        let document = TasksDocument.parse("""
            # Tasks
            - [ ] loose one
            - [ ] 0.2 loose two
            ## 1. First
            - [ ] 1.1 a
            """)
        #expect(document.phases.map(\.number) == [0, 1])
        #expect(document.phases[0].title == "")
        #expect(document.phases[0].tasks.map(\.number) == ["0.1", "0.2"])
        #expect(TasksDocument.parse("## 1. First\n- [ ] 1.1 a\n").phases.map(\.number) == [1])
    }

    @Test func headingRules() {
        let document = TasksDocument.parse("""
            \u{FEFF}## Setup
            - [ ] a
            ## 4. Four ##
            - [ ] b
            ### 4.1 Sub-heading stays in phase 4
            - [ ] c
            ## Phase 5: Named
            - [ ] d
            ## Notes
            ## 7.Glued title
            - [ ] e
            #### 9. Deep
               ## 10. Indented three
            - [ ] f
                ## 11. Indented four is not a heading
            - [ ] g
            ##12. No space is not a heading
            - [ ] h
            """)
        #expect(document.phases.map(\.number) == [1, 4, 5, 7, 10])
        #expect(document.phases.map(\.title) == ["Setup", "Four", "Phase 5: Named", "7.Glued title", "Indented three"])
        #expect(document.phases.map { $0.tasks.map(\.number) } == [["1.1"], ["4.1", "4.2"], ["5.1"], ["7.1"],
                                                                   ["10.1", "10.2", "10.3"]])
    }

    @Test func duplicatePhaseNumbersStaySeparate() {
        let document = TasksDocument.parse("## 1. A\n- [ ] 1.1 a\n## 1. B\n- [ ] 1.2 b\n")
        #expect(document.phases.map(\.title) == ["A", "B"])
        #expect(document.phases.map(\.number) == [1, 1])
    }

    @Test(arguments: [(0, "complete"), (1, "sequential"), (4, "sequential"), (5, "parallel-phases"), (9, "parallel-phases")])
    func modeThresholds(unchecked: Int, mode: String) {
        let lines = (1...9).map { "- [\($0 <= unchecked ? " " : "x")] 1.\($0) task \($0)" }
        let document = TasksDocument.parse("## 1. All\n" + lines.joined(separator: "\n"))
        #expect(document.tasks.count == 9)
        #expect(document.unchecked == unchecked)
        #expect(document.mode == mode)
    }

    @Test func emptyAndProseOnlyDocuments() {
        #expect(TasksDocument.parse("").phases.isEmpty)
        #expect(TasksDocument.parse("## 1. Nothing yet\nSome prose.\n").phases.isEmpty)
        #expect(TasksDocument.parse("").mode == "complete")
    }
}
