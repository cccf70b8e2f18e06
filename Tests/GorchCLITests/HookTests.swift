import Foundation
import GorchTestSupport
import Testing

/// `gorch hooks install|uninstall|status` and `gorch hook <name>`, driven by real git commands.
@Suite("hooks", .timeLimit(.minutes(20)))
struct HookTests {
    static let hookNames = ["post-merge", "post-checkout", "post-rewrite"]

    /// A bd-style post-merge hook: its section ends the script with `exit`, so an appended gorch
    /// section would never run.
    static let beadsHook = """
        #!/usr/bin/env sh
        # --- BEGIN BEADS INTEGRATION v1.0.5 ---
        # This section is managed by beads. Do not remove these markers.
        if command -v bd >/dev/null 2>&1; then :; fi
        echo "bd $1" >> .git/bd.mark
        exit 0
        # --- END BEADS INTEGRATION v1.0.5 ---

        """

    /// A user's post-checkout hook, no trailing newline, ending in `exit 0`.
    static let userHook = "#!/bin/bash\nset -e\necho \"user $3\" >> .git/user.mark\nexit 0"

    // MARK: helpers

    func hooksDir(_ project: TaskProject) -> String { project.path + "/.git/hooks" }

    func write(_ text: String, to path: String, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func git(_ project: TaskProject, _ args: String..., environment: [String: String] = [:]) throws -> ShellResult {
        try Shell.run("git", args, cwd: project.path, env: gorchEnvironment.merging(environment) { $1 })
    }

    func actions(_ document: [String: Any]) -> [String: String] {
        let changes = document["changes"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: changes.map { ($0["hook"] as? String ?? "?", $0["action"] as? String ?? "?") })
    }

    /// A project with gorch initialised and a finished task `x` (one commit on task/x).
    func projectWithDoneTask(label: String = #function) throws -> TaskProject {
        let project = try TaskProject(label: label)
        #expect(try project.gorch("init", "--no-hooks").status == 0)
        try project.agent("x", ["feature.txt": "x\n"])
        #expect(try project.state("x") == "ready")
        return project
    }

    // MARK: install / uninstall

    @Test("install chains a bd-style post-merge and a user post-checkout: both still run, gorch's section too; uninstall restores them byte for byte")
    func installChainsAndRestores() throws {
        let project = try projectWithDoneTask()
        let hooks = hooksDir(project)
        try write(Self.beadsHook, to: hooks + "/post-merge", mode: 0o755)
        try write(Self.userHook, to: hooks + "/post-checkout", mode: 0o750)
        let originals = [hooks + "/post-merge": (bytes(hooks + "/post-merge"), 0o755),
                         hooks + "/post-checkout": (bytes(hooks + "/post-checkout"), 0o750)]

        let install = try project.json("hooks", "install")
        #expect(actions(install) == ["post-merge": "chained", "post-checkout": "chained", "post-rewrite": "created"])
        #expect(install["gorch"] as? String == GorchBinary.path)
        let postMerge = try String(contentsOfFile: hooks + "/post-merge", encoding: .utf8)
        #expect(postMerge.hasPrefix("#!/usr/bin/env sh\n# --- BEGIN GORCH ---\n"), "inserted after the shebang: \(postMerge)")
        #expect(postMerge.contains("BEGIN BEADS INTEGRATION v1.0.5"))
        #expect(try mode(hooks + "/post-checkout") == 0o750)
        #expect(try mode(hooks + "/post-rewrite") == 0o755)
        #expect(try String(contentsOfFile: hooks + "/post-rewrite", encoding: .utf8).hasPrefix("#!/bin/sh\n# --- BEGIN GORCH ---\n"))

        // Twice: nothing changes.
        let installed = Self.hookNames.map { bytes(hooks + "/" + $0) }
        let again = try project.json("hooks", "install")
        #expect(actions(again) == ["post-merge": "unchanged", "post-checkout": "unchanged", "post-rewrite": "unchanged"])
        #expect(Self.hookNames.map { bytes(hooks + "/" + $0) } == installed)

        // A branch checkout runs the user's hook; gorch's ran first and did not stop it.
        let checkout = try git(project, "checkout", "-q", "-b", "side")
        #expect(checkout.status == 0, "\(checkout.stderr)")
        #expect(try String(contentsOfFile: project.path + "/.git/user.mark", encoding: .utf8) == "user 1\n")
        #expect(try git(project, "checkout", "-q", "main").status == 0)

        // A person's merge runs bd's section and gorch's: the task is merged and cleaned up.
        let merge = try git(project, "merge", "--no-edit", "task/x")
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try String(contentsOfFile: project.path + "/.git/bd.mark", encoding: .utf8) == "bd 0\n")
        #expect(merge.stderr.contains("gorch: task x merged, worktree removed"), "\(merge.stderr)")
        #expect(try project.state("x") == "merged")
        #expect(!project.exists(".worktrees/wt-x"))
        #expect(try !project.branchExists("task/x"))

        // Uninstall: the originals come back byte for byte with their modes; gorch's own file goes.
        let uninstall = try project.json("hooks", "uninstall")
        #expect(actions(uninstall) == ["post-merge": "restored", "post-checkout": "restored", "post-rewrite": "removed"])
        for (path, (data, fileMode)) in originals {
            #expect(bytes(path) == data, "\(path) restored byte for byte")
            #expect(try mode(path) == fileMode, "\(path) mode")
        }
        #expect(!FileManager.default.fileExists(atPath: hooks + "/post-rewrite"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.git/gorch/hooks-backup"))
        let twice = try project.json("hooks", "uninstall")
        #expect(actions(twice) == ["post-merge": "unchanged", "post-checkout": "unchanged", "post-rewrite": "unchanged"])
    }

    @Test("a hook edited after install keeps the edit on uninstall (only gorch's section goes)")
    func uninstallKeepsLaterEdits() throws {
        let project = try TaskProject()
        let hook = hooksDir(project) + "/post-merge"
        try write("#!/bin/sh\necho one\n", to: hook, mode: 0o755)
        #expect(try project.json("hooks", "install").isEmpty == false)
        let installed = try String(contentsOfFile: hook, encoding: .utf8)
        try Data((installed + "echo two\n").utf8).write(to: URL(fileURLWithPath: hook))
        let uninstall = try project.json("hooks", "uninstall")
        #expect(actions(uninstall)["post-merge"] == "stripped")
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == "#!/bin/sh\necho one\necho two\n")
    }

    @Test("a python hook, a symbolic link and a disabled (non-executable) hook are skipped and left alone")
    func installSkipsWhatItCannotChain() throws {
        let project = try TaskProject()
        let hooks = hooksDir(project)
        try write("#!/usr/bin/env python3\nprint('hi')\n", to: hooks + "/post-merge", mode: 0o755)
        try write("#!/bin/sh\necho off\n", to: hooks + "/post-checkout", mode: 0o644)
        try write("#!/bin/sh\n", to: project.path + "/elsewhere.sh", mode: 0o755)
        try FileManager.default.createSymbolicLink(atPath: hooks + "/post-rewrite", withDestinationPath: project.path + "/elsewhere.sh")
        let before = Self.hookNames.map { bytes(hooks + "/" + $0) }
        let install = try project.json("hooks", "install")
        #expect(actions(install) == ["post-merge": "skipped", "post-checkout": "skipped", "post-rewrite": "skipped"])
        #expect(Self.hookNames.map { bytes(hooks + "/" + $0) } == before)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: hooks + "/post-rewrite") == project.path + "/elsewhere.sh")
        let status = try project.json("hooks", "status")
        #expect((status["hooks"] as? [[String: Any]] ?? []).map { $0["state"] as? String } == ["foreign", "foreign", "foreign"])
    }

    @Test("core.hooksPath (relative to the work tree) is honoured")
    func hooksPathHonoured() throws {
        let project = try TaskProject()
        try project.repo.git("config", "core.hooksPath", "githooks")
        let install = try project.json("hooks", "install")
        #expect(install["hooks_dir"] as? String == project.path + "/githooks")
        for name in Self.hookNames {
            #expect(FileManager.default.isExecutableFile(atPath: project.path + "/githooks/" + name))
            #expect(!FileManager.default.fileExists(atPath: hooksDir(project) + "/" + name))
        }
        let status = try project.json("hooks", "status")
        #expect(status["hooks_dir"] as? String == project.path + "/githooks")
        #expect(status["installed"] as? Bool == true)
        #expect(actions(try project.json("hooks", "uninstall")).values.allSatisfy { $0 == "removed" })
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.path + "/githooks").isEmpty)
    }

    @Test("hooks status --json: missing, foreign, installed with the gorch path")
    func statusJSON() throws {
        let project = try TaskProject()
        try write("#!/bin/sh\necho mine\n", to: hooksDir(project) + "/post-checkout", mode: 0o755)
        let before = try runGorch(["hooks", "status", "--json"], cwd: project.path)
        #expect(before.status == 0)
        #expect(keysAppearInOrder(["hooks_dir", "installed", "hooks"], in: before.stdout))
        let document = try jsonDocument(before)
        #expect(document["installed"] as? Bool == false)
        let hooks = document["hooks"] as? [[String: Any]] ?? []
        #expect(hooks.map { $0["hook"] as? String } == Self.hookNames)
        #expect(hooks.map { $0["state"] as? String } == ["missing", "foreign", "missing"])
        #expect(hooks.allSatisfy { isNull($0["gorch"]) })

        _ = try project.json("hooks", "install")
        let after = try project.json("hooks", "status")
        #expect(after["installed"] as? Bool == true)
        let installed = after["hooks"] as? [[String: Any]] ?? []
        #expect(installed.map { $0["state"] as? String } == ["installed", "installed", "installed"])
        #expect(installed.allSatisfy { $0["gorch"] as? String == GorchBinary.path && isNull($0["detail"]) })
        #expect(installed.map { $0["path"] as? String } == Self.hookNames.map { hooksDir(project) + "/" + $0 })
    }

    @Test("a new hook file is the template in hooks/<name> with the gorch path filled in")
    func templatesMatch() throws {
        let project = try TaskProject()
        _ = try project.json("hooks", "install")
        let gorch = try #require(GorchBinary.path, "\(GorchBinary.problem)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in Self.hookNames {
            let template = try String(contentsOf: root.appendingPathComponent("hooks/" + name), encoding: .utf8)
            let installed = try String(contentsOfFile: hooksDir(project) + "/" + name, encoding: .utf8)
            #expect(installed.replacingOccurrences(of: gorch, with: "@GORCH_PATH@") == template, "hooks/\(name)")
        }
    }

    // MARK: gorch hook

    @Test("GORCH_SKIP_HOOKS=1: a person's merge leaves the task alone")
    func skipVariable() throws {
        let project = try projectWithDoneTask()
        _ = try project.json("hooks", "install")
        let merge = try git(project, "merge", "--no-edit", "task/x", environment: ["GORCH_SKIP_HOOKS": "1"])
        #expect(merge.status == 0)
        #expect(!merge.stderr.contains("gorch"), "\(merge.stderr)")
        #expect(try project.state("x") == "ready")
        #expect(project.exists(".worktrees/wt-x"))
        #expect(try project.branchExists("task/x"))
    }

    @Test("a file checkout (post-checkout flag 0) does not sync; a branch checkout does")
    func postCheckoutOnlyOnBranchCheckout() throws {
        let project = try projectWithDoneTask()
        _ = try project.json("hooks", "install")
        // Merge behind gorch's back with the hooks skipped, then a file checkout: still not synced.
        #expect(try git(project, "merge", "--no-edit", "task/x", environment: ["GORCH_SKIP_HOOKS": "1"]).status == 0)
        #expect(try git(project, "checkout", "HEAD", "--", "README.md").status == 0)
        #expect(try project.state("x") == "ready")
        let branch = try git(project, "checkout", "-q", "-b", "next")
        #expect(branch.status == 0)
        #expect(try project.state("x") == "merged")
    }

    @Test("a failing sync does not fail git merge: exit 0, the error lands in hooks.log")
    func failureIsLogged() throws {
        let project = try projectWithDoneTask()
        _ = try project.json("hooks", "install")
        try Data("{ this is not json".utf8).write(to: URL(fileURLWithPath: project.path + "/.git/gorch/tasks.json"))
        let merge = try git(project, "merge", "--no-edit", "task/x")
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stderr.contains("gorch: hook post-merge failed"), "\(merge.stderr)")
        let log = try String(contentsOfFile: project.path + "/.git/gorch/logs/hooks.log", encoding: .utf8)
        #expect(log.contains("post-merge"), "\(log)")
        #expect(log.contains("error:"), "\(log)")
        #expect(log.hasPrefix("20"), "timestamped: \(log)")
    }

    @Test("gorch hook exits 0 outside a repository, for unknown hooks, and does nothing when there is nothing to do")
    func hookAlwaysExitsZero() throws {
        let outside = try TempDirectory(label: "hook-outside")
        let result = try runGorch(["hook", "post-merge"], cwd: outside.path)
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stderr)")
        let project = try TaskProject()
        let unknown = try runGorch(["hook", "pre-commit", "a", "b"], cwd: project.path)
        #expect(unknown.status == 0 && unknown.stderr.isEmpty)
        #expect(try project.gorch("init", "--no-hooks").status == 0)
        let idle = try runGorch(["hook", "post-rewrite", "amend"], cwd: project.path)
        #expect(idle.status == 0 && idle.stdout.isEmpty && idle.stderr.isEmpty, "\(idle.stderr)")
        #expect(!project.exists(".git/gorch/logs/hooks.log"))
    }
}

/// `gorch init` installs the hooks (DESIGN.md), so a person's merge is synced from the start.
@Suite("init installs hooks", .timeLimit(.minutes(20)))
struct InitHookTests {
    @Test("after plain gorch init, a person's git merge of a finished task closes it and removes its worktree")
    func initInstallsHooks() throws {
        let project = try TaskProject()
        let initialised = try project.json("init")
        #expect((initialised["changes"] as? [String])?.contains("hook post-merge: created") == true)
        try project.agent("x", ["feature.txt": "x\n"])
        let merge = try Shell.run("git", ["merge", "--no-edit", "-q", "task/x"], cwd: project.path, env: gorchEnvironment)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try project.state("x") == "merged")
        #expect(!project.exists(".worktrees/wt-x"))
        let doctor = try project.json("doctor")
        let hooks = (doctor["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "hooks" }
        #expect(hooks?["status"] as? String == "ok")
    }

    @Test("doctor warns when the hooks run a gorch binary that is gone, until hooks install re-points them")
    func doctorWarnsOfAGoneBinary() throws {
        let project = try TaskProject()
        _ = try project.json("init")
        func hooksCheck() throws -> [String: Any]? {
            (try project.json("doctor")["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "hooks" }
        }
        #expect(try hooksCheck()?["status"] as? String == "ok")
        // As if gorch had been installed from a build folder deleted since: the hooks name a
        // binary that no longer exists (rewritten in place, so the files stay executable).
        let gorch = try #require(GorchBinary.path)
        let gone = project.path + "/deleted-build/gorch"
        for name in HookTests.hookNames {
            let path = project.path + "/.git/hooks/" + name
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try Data(text.replacingOccurrences(of: gorch, with: gone).utf8).write(to: URL(fileURLWithPath: path))
        }
        let warned = try hooksCheck()
        #expect(warned?["status"] as? String == "warning")
        #expect((warned?["detail"] as? String)?.contains(gone) == true, "\(warned ?? [:])")
        #expect((warned?["fix"] as? String)?.contains("gorch hooks install") == true)

        _ = try project.json("hooks", "install")
        #expect(try hooksCheck()?["status"] as? String == "ok")
    }
}
