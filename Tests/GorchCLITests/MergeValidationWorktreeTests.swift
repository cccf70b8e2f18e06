import Foundation
import GorchTestSupport
import Testing

/// The reused validation worktree is brought from one merged commit to the next incrementally;
/// each validation must still see exactly the merged tree, plus ignored files (build caches) and
/// what the bootstrap put there, and nothing an earlier validation left behind.
@Suite("merge: the reused validation worktree", .timeLimit(.minutes(20)))
struct MergeValidationWorktreeTests {
    private func validationPath(_ project: TaskProject) throws -> String {
        let common = try project.repo.git("rev-parse", "--git-common-dir")
        return ((project.path as NSString).appendingPathComponent(common) as NSString).appendingPathComponent("gorch/validate")
    }

    @Test("a file the next task deletes is gone; an earlier validation's untracked and changed files do not leak; ignored caches stay")
    func nothingLeaks() throws {
        let project = try TaskProject()
        project.repo.write(".gitignore", "cache/\n")
        project.repo.write("old.txt", "old\n")
        try project.repo.commitAll("ignore cache, add old.txt")
        try project.agent("adds", ["adds.txt": "a\n"])
        let deleter = try project.agent("deletes", ["deletes.txt": "d\n"], done: false)
        try Shell.git(["rm", "-q", "old.txt"], cwd: deleter)
        try Shell.git(["commit", "-q", "-m", "delete old.txt"], cwd: deleter)
        #expect(try project.gorch("done", "deletes").status == 0)

        // Fails when a previous run's artefact or edit is still there, or old.txt survives its
        // deletion; then leaves an untracked artefact, a tracked-file edit, a deleted tracked
        // file, an untracked folder and an ignored cache entry behind.
        let step = """
            set -e; test ! -e artefact.txt; test ! -e out; git diff --quiet HEAD; test -f README.md
            if [ "$GORCH_TASK_ID" = deletes ]; then test ! -e old.txt; fi
            touch artefact.txt; mkdir -p out/deep cache; echo x > out/deep/o.txt
            echo edited >> README.md; rm app/config.txt; echo "$GORCH_TASK_ID" >> cache/seen
            """
        let report = try project.json("merge", "adds", "deletes", "--validate", step)
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "merged"], "\(tasks)")

        let validate = try validationPath(project)
        #expect(try String(contentsOfFile: validate + "/cache/seen", encoding: .utf8) == "adds\ndeletes\n")
        #expect(!FileManager.default.fileExists(atPath: validate + "/old.txt"))
        #expect(FileManager.default.fileExists(atPath: validate + "/adds.txt"))
        // What the last validation left stays until the next one (it may be inspected).
        #expect(FileManager.default.fileExists(atPath: validate + "/artefact.txt"))
        try project.expectConsistent()
    }

    @Test("files the bootstrap copied into the validation worktree stay from task to task")
    func bootstrapFilesStay() throws {
        let project = try TaskProject()
        try project.agent("one", ["one.txt": "1\n"])
        try project.agent("two", ["two.txt": "2\n"])
        try project.agent("three", ["three.txt": "3\n"])
        // Configured after the starts, so that the agents' `git add -A` cannot commit the copy.
        project.repo.write("local.env", "SECRET=1\n")  // untracked, not ignored
        try project.repo.git("config", "--add", "gorch.copy", "local.env")
        let report = try project.json("merge", "--validate", "grep -q SECRET=1 local.env && touch stray-$GORCH_TASK_ID")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "merged", "merged"], "\(tasks)")
        let validate = try validationPath(project)
        #expect(FileManager.default.fileExists(atPath: validate + "/local.env"))
        #expect(!FileManager.default.fileExists(atPath: validate + "/stray-one"))
        #expect(!FileManager.default.fileExists(atPath: validate + "/stray-two"))
        #expect(FileManager.default.fileExists(atPath: validate + "/stray-three"))
    }

    @Test("the validation worktree of an earlier run is reused under the same rules; lock files a killed run left go")
    func reusedAcrossRuns() throws {
        let project = try TaskProject()
        try project.agent("first", ["first.txt": "1\n"])
        #expect(try project.gorch("merge", "--validate", "touch from-first").status == 0)
        let admin = try project.repo.git("rev-parse", "--path-format=absolute", "--git-common-dir") + "/worktrees/gorch-validate"
        for lock in ["index.lock", "HEAD.lock"] { _ = FileManager.default.createFile(atPath: admin + "/" + lock, contents: Data()) }
        try project.agent("second", ["second.txt": "2\n"])
        let report = try project.json("merge", "--validate", "test ! -e from-first && test -f first.txt && test -f second.txt")
        #expect((report["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged", "\(report)")
    }
}
