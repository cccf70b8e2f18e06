import Foundation
import GorchTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `gorch.copy` meeting symlinks that lead out of the repository, beyond BootstrapTests.symlinks
/// (a direct `.env -> /etc/hostname` and `.env.up -> ../outside-secret`): through a chain of
/// links, through a symlinked folder, and with a glob that tries to climb out. Nothing outside
/// is read into the worktree or written to; each skip is named in start's warnings or skipped list.
@Suite("bad input: symlinks out of the repository", .timeLimit(.minutes(20)))
struct BadInputBootstrapTests {
    static func present(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    @Test(".env -> inside link -> outside file: not copied, named with the reason; the outside file is untouched")
    func chainedLink() throws {
        let project = try TaskProject()
        let outside = try TempDirectory(label: "outside")
        try "SECRET=1\n".write(toFile: outside.path + "/secret.env", atomically: true, encoding: .utf8)
        project.repo.write(".gitignore", ".env\nlinks/\n")
        try project.repo.commitAll("ignore")
        project.repo.symlink("links/hop", to: outside.path + "/secret.env")
        project.repo.symlink(".env", to: "links/hop")
        try project.repo.git("config", "--add", "gorch.copy", ".env")
        let start = try project.json("start", "t1")
        let worktree = project.worktree("t1")
        #expect(!Self.present(worktree + "/.env"))
        let warnings = start["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains(".env") && $0.contains("outside the repository") }, "\(warnings)")
        #expect(try String(contentsOfFile: outside.path + "/secret.env", encoding: .utf8) == "SECRET=1\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["secret.env"])
    }

    @Test("a symlinked folder out of the repository (config -> /elsewhere) is not descended into by config/*.env")
    func linkedFolder() throws {
        let project = try TaskProject()
        let outside = try TempDirectory(label: "outside-dir")
        try "KEY=outside\n".write(toFile: outside.path + "/prod.env", atomically: true, encoding: .utf8)
        project.repo.write(".gitignore", "config/\n")
        try project.repo.commitAll("ignore config")
        project.repo.symlink("config", to: outside.path)
        try project.repo.git("config", "--add", "gorch.copy", "config/*.env")
        try project.repo.git("config", "--add", "gorch.copy", "config/prod.env")
        let start = try project.json("start", "t1")
        let worktree = project.worktree("t1")
        #expect(!Self.present(worktree + "/config/prod.env"))
        #expect(!Self.present(worktree + "/config"))
        let skipped = (start["bootstrap"] as? [String: Any])?["skipped"] as? [[String: Any]] ?? []
        #expect(skipped.contains { ($0["reason"] as? String)?.contains("symlinked folder is not followed") == true }, "\(start)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["prod.env"])
    }

    @Test("globs that climb out (../*, ./../x, a/../../b) are refused by name; an absolute glob reads inside the checkout only")
    func climbingGlobs() throws {
        let project = try TaskProject()
        let parent = (project.path as NSString).deletingLastPathComponent
        for glob in ["../*", "./../x", "app/../../etc/passwd", "/etc/passwd"] {
            try project.repo.git("config", "--add", "gorch.copy", glob)
        }
        let start = try project.json("start", "t1")
        let skipped = (start["bootstrap"] as? [String: Any])?["skipped"] as? [[String: Any]] ?? []
        for glob in ["../*", "./../x", "app/../../etc/passwd"] {
            #expect(skipped.contains { $0["path"] as? String == glob && ($0["reason"] as? String)?.contains("leaves the checkout") == true },
                    "\(glob): \(skipped)")
        }
        let copied = (start["bootstrap"] as? [String: Any])?["copied"] as? [String] ?? []
        #expect(copied.isEmpty, "\(copied)")
        #expect(!Self.present(project.worktree("t1") + "/etc/passwd"))
        #expect(FileManager.default.fileExists(atPath: parent))
    }
}
