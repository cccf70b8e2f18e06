import Foundation
import GitKit
@testable import GorchCore
import GorchTestSupport
import Testing

/// `.worktreeinclude` against git itself: what the copy step takes from the main checkout must be
/// exactly the untracked files `git ls-files --others --ignored --exclude-from=<the file>` lists
/// that git also ignores (`--exclude-standard`), for patterns of every kind git's exclude files
/// know (anchoring, directories, negation, `**`, classes, escapes, comments, trailing spaces).
@Suite(.timeLimit(.minutes(20))) struct WorktreeIncludeTests {
    static let includes: [String] = [
        ".env\n",
        ".env*\n!.env.local\n",
        "/secrets/\n",
        "secrets/\n!secrets/nested/deep.txt\n",
        "**/*.log\n",
        "build/**\n!build/sub/\n",
        "build/**/*.o\n",
        "*.local\nconfig/*.local\n",
        "src/**/.env\n",
        "node_modules/\n",
        "notes.txt\nREADME.md\n",
        "# a comment\n\n\\#hash.local\nsecrets/nested/   \n",
        "weird\\[1\\].local\n[a-c]*.local\n*.lo[g]\n",
        "s?cr?ts/**/*.txt\n[[:alpha:]]pp.log\n[!a]*.log\n",
        "/top-only.tmp\r\nsrc/*\r\n",
        "**\n!*.log\n",
        "*\n",
        "trailing\\ \nsrc/deep/**/x\n",
    ]

    private func fixture() throws -> TempRepo {
        let repo = try TempRepo(label: "worktreeinclude")
        repo.write("README.md", "# project\n")
        repo.write("src/app.c", "int main;\n")
        repo.write("config/app.json", "{}\n")
        repo.write(".gitignore", ".env*\n*.local\nbuild/\nsecrets/\nnode_modules/\n/top-only.tmp\n*.log\nsrc/deep/\ntrailing*\n#hash*\n")
        try repo.commitAll("base")
        for path in [".env", ".env.local", "src/.env", "src/deep/er/.env", "src/deep/er/x", "config/db.local", "build/out.o",
                     "build/sub/x.o", "secrets/key.pem", "secrets/nested/deep.txt", "node_modules/pkg/index.js",
                     "node_modules/pkg/.env", "top-only.tmp", "app.log", "src/debug.log", "notes.txt", "a b.local",
                     "weird[1].local", "bz.local", "#hash.local", "trailing ", "trailing"] {
            repo.write(path, "untracked \(path)\n")
        }
        return repo
    }

    private func gitList(_ repo: TempRepo, _ arguments: [String]) throws -> Set<String> {
        Set(try repo.git(["ls-files", "-z", "--others", "--ignored"] + arguments).split(separator: "\0").map(String.init))
    }

    @Test(arguments: 0..<includes.count)
    func copiesWhatGitLists(_ index: Int) throws {
        let repo = try fixture()
        let elsewhere = try TempDirectory(label: "worktreeinclude-\(index)")
        let includeFile = elsewhere.path + "/include"
        try Self.includes[index].write(toFile: includeFile, atomically: true, encoding: .utf8)
        let expected = try gitList(repo, ["--exclude-from=\(includeFile)"]).intersection(gitList(repo, ["--exclude-standard"]))

        let destination = elsewhere.path + "/worktree"
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let repository = try Repository.open(at: repo.path)
        let copier = BootstrapCopier(repository: repository, source: repo.path, destination: destination)
        let result = copier.copy([], include: WorktreeInclude(Self.includes[index]), ignores: repository)
        #expect(Set(result.copied) == expected, "include \(index): \(Self.includes[index].debugDescription)")
        for path in result.copied {
            #expect(FileManager.default.contents(atPath: destination + "/" + path) == FileManager.default.contents(atPath: repo.path + "/" + path))
        }
    }

    @Test func noFileNoCopies() throws {
        let repo = try fixture()
        let elsewhere = try TempDirectory(label: "worktreeinclude-none")
        let repository = try Repository.open(at: repo.path)
        let result = BootstrapCopier(repository: repository, source: repo.path, destination: elsewhere.path)
            .copy([], include: WorktreeInclude("# nothing\n\n"), ignores: repository)
        #expect(result.copied.isEmpty)
    }
}
