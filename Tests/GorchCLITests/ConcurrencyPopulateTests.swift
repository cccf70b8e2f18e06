import Foundation
import GorchTestSupport
import Testing

/// `gorch populate <change> --phase N` for several phases at once (the task-populator skill's
/// pattern), each phase even launched twice: every task becomes exactly one issue, bd calls never
/// overlap, and `--link` afterwards wires the phases.
@Suite("concurrency: parallel populate", .timeLimit(.minutes(20)))
struct ConcurrencyPopulateTests {
    static let change = "three-phases"
    static let numbers = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]
    static let tasks = """
        ## 1. Base
        - [ ] 1.1 Alpha (Files: a.txt)
        - [ ] 1.2 Bravo (Files: b.txt)
        - [ ] 1.3 Charlie (Files: c.txt)

        ## 2. Middle
        - [ ] 2.1 Delta (Files: d.txt)
        - [ ] 2.2 Echo (Files: e.txt)
        - [ ] 2.3 Foxtrot (Files: f.txt)

        ## 3. Top
        - [ ] 3.1 Golf (Files: g.txt)
        - [ ] 3.2 Hotel (Files: h.txt)
        - [ ] 3.3 India (Files: i.txt)

        """

    static func project(era: FakeBeadsEra) throws -> SeedFlowTests.SeedProject {
        let project = try SeedFlowTests.SeedProject(era: era)
        project.repo.write("openspec/changes/\(change)/proposal.md", "# Three phases\n")
        project.repo.write("openspec/changes/\(change)/tasks.md", tasks)
        try project.repo.commitAll("three phases")
        // Ballast: issues of another change with large descriptions make every `bd list` answer
        // big, so a populate spends a while decoding it between its lookup and its first create,
        // with the bd lock free: the window in which another run's lookup can slip in.
        let description = String(repeating: "ballast ", count: 12_000)
        for index in 0..<20 {
            try project.fakes.run(.bd, ["create", "--title=ballast \(index)", "--description=\(description)", "--json"], cwd: project.path)
        }
        return project
    }

    /// `task:N.M` label -> how many issues carry it, for the change.
    static func issuesByNumber(_ project: SeedFlowTests.SeedProject) throws -> [String: [String]] {
        let all = try #require(try project.bd("list", "--all", "--limit", "0") as? [[String: Any]])
        var result: [String: [String]] = [:]
        for issue in all {
            let labels = issue["labels"] as? [String] ?? []
            guard labels.contains("openspec:\(change)"), let task = labels.first(where: { $0.hasPrefix("task:") }) else { continue }
            result[String(task.dropFirst(5)), default: []].append(issue["id"] as? String ?? "?")
        }
        return result
    }

    @Test("phases 1-3 populated at once, each phase twice (two rounds): nine issues, no duplicate; --link then wires them",
          arguments: [FakeBeadsEra.dolt, FakeBeadsEra.legacy])
    func phasesAtOnce(era: FakeBeadsEra) throws {
        // The race (two runs both find a task missing, both create it): before populate took its
        // lock, every round of this shape duplicated issues; two fresh rounds.
        for round in 0..<2 {
            let project = try Self.project(era: era)
            try Self.populateRace(project, round: round, last: round == 1)
        }
    }

    static func populateRace(_ project: SeedFlowTests.SeedProject, round: Int, last: Bool) throws {
        // No extra delay: a slower bd makes one process hold the bd lock for all its calls.
        let probe = try BdOverlapProbe(project.fakes, base: project.toolEnvironment, delay: "0")
        let path = project.path
        let environment = probe.environment
        let phases = ["1", "2", "3", "1", "2", "3"]
        let results = try Concurrency.together(phases.map { ["populate", Self.change, "--phase", $0, "--json"] },
                                                cwd: path, environment: environment)
        var createdBy: [String: Int] = [:]
        for (phase, result) in zip(phases, results) {
            #expect(result.status == 0, "round \(round): populate --phase \(phase): \(result.stdout) \(result.stderr)")
            guard result.status == 0 else { continue }
            let report = try jsonDocument(result)
            let issues = report["issues"] as? [[String: Any]] ?? []
            #expect(Set(issues.compactMap { $0["number"] as? String }) == Set(Self.numbers.filter { $0.hasPrefix(phase + ".") }),
                    "phase \(phase) reports its own three tasks: \(issues)")
            #expect((report["links"] as? [Any])?.isEmpty == true)
            for issue in issues where issue["created"] as? Bool == true { createdBy[issue["number"] as? String ?? "?", default: 0] += 1 }
        }
        #expect(probe.overlaps.isEmpty, "round \(round): bd calls ran at the same time: \(probe.overlaps)")
        let byNumber = try Self.issuesByNumber(project)
        #expect(Set(byNumber.keys) == Set(Self.numbers), "\(byNumber)")
        #expect((try project.bd("list", "--all", "--limit", "0") as? [Any])?.count == 29, "nine issues and the ballast")
        for number in Self.numbers {
            #expect(byNumber[number]?.count == 1, "round \(round): task \(number): \(byNumber[number] ?? [])")
            #expect(createdBy[number] == 1, "round \(round): task \(number) reported created by exactly one run")
        }
        guard last else { return }

        let linked = try project.json("populate", Self.change, "--link")
        let links = try #require(linked["links"] as? [[String: Any]])
        #expect(links.count == 18 && links.allSatisfy { $0["created"] as? Bool == true }, "\(links.count) links")
        #expect((linked["cycles"] as? [Any])?.isEmpty == true)
        let ready = try #require(try project.bd("ready", "--limit", "0") as? [[String: Any]])
        let readyNumbers = ready.compactMap { ($0["labels"] as? [String])?.first { $0.hasPrefix("task:") } }
        #expect(Set(readyNumbers) == ["task:1.1", "task:1.2", "task:1.3"], "\(readyNumbers)")
        // Everything again, at once with a link run: nothing new.
        let again = try Concurrency.together(["1", "2", "3"].map { ["populate", Self.change, "--phase", $0, "--json"] }
                                             + [["populate", Self.change, "--json"]], cwd: path, environment: environment)
        for result in again {
            #expect(result.status == 0, "\(result.stderr)")
            let report = try jsonDocument(result)
            #expect((report["issues"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == false } == true, "\(report)")
            #expect((report["links"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == false } == true, "\(report)")
        }
        #expect(try Self.issuesByNumber(project).values.allSatisfy { $0.count == 1 })
        #expect(probe.overlaps.isEmpty, "bd calls ran at the same time: \(probe.overlaps)")
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try Concurrency.expectQuiescent(project.path)
    }
}
