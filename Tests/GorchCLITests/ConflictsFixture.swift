import Foundation
import GorchTestSupport

/// A repository with one branch per verdict, all relative to `main`:
///
///     base ── ours (main: a = OURS, d added) ── ahead (e added)   main..ahead: fast-forward
///       ├── (old)                                                 up-to-date
///       ├── clean (c added)                                       clean
///       └── conf (a = THEIRS)                                     content conflict in a
///     orphan: unrelated history
struct ConflictsFixture {
    let repo: TempRepo
    var path: String { repo.path }

    init(label: String = #function) throws {
        repo = try TempRepo(label: "cli-" + label)
        repo.write("a", "1\n2\n3\n")
        repo.write("b", "x\n")
        try repo.commitAll("base")
        try repo.git("branch", "old")
        try repo.git("checkout", "-q", "-b", "clean")
        repo.write("c", "clean\n")
        try repo.commitAll("clean")
        try repo.git("checkout", "-q", "-b", "conf", "old")
        repo.write("a", "1\nTHEIRS\n3\n")
        try repo.commitAll("theirs")
        try repo.git("checkout", "-q", "main")
        repo.write("a", "1\nOURS\n3\n")
        repo.write("d", "d\n")
        try repo.commitAll("ours")
        try repo.git("checkout", "-q", "-b", "ahead")
        repo.write("e", "e\n")
        try repo.commitAll("ahead")
        try repo.git("checkout", "-q", "--orphan", "orphan")
        try repo.git("rm", "-rfq", ".")
        repo.write("z", "unrelated\n")
        try repo.commitAll("orphan root")
        try repo.git("checkout", "-q", "-f", "main")
    }

    /// `git rev-parse REV^{tree}`.
    func tree(_ revision: String) throws -> String {
        try repo.git("rev-parse", "\(revision)^{tree}")
    }

    /// The number of objects in the repository, loose and packed, to prove nothing was written.
    func objectCount() throws -> String {
        try repo.git("count-objects", "-v")
    }
}
