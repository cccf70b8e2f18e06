import Foundation
import Testing
import GitKit
import GorchCore
import GorchTestSupport

/// The repository settings merge-ort reads change its answer; gorch must read them the same way.
@Suite(.timeLimit(.minutes(20))) struct MergeConfigTests {
    /// ours moves dir/ to moved/, renaming a.txt to alpha.txt with an edit and adding extra.txt;
    /// theirs edits a.txt and adds dir/new.txt.
    private func fixture() throws -> TempRepo {
        let repo = try TempRepo(label: #function)
        let lines = (1...12).map { "line \($0) of a" }
        repo.write("dir/a.txt", lines.joined(separator: "\n") + "\n")
        repo.write("dir/b.txt", (1...12).map { "line \($0) of b" }.joined(separator: "\n") + "\n")
        repo.write("dir/c.txt", (1...12).map { "line \($0) of c" }.joined(separator: "\n") + "\n")
        try repo.commitAll("base")
        try repo.git("branch", "theirs")
        try repo.git("mv", "dir", "moved")
        try repo.git("mv", "moved/a.txt", "moved/alpha.txt")
        var ours = lines; ours[0] = "first line changed by ours"
        repo.write("moved/alpha.txt", ours.joined(separator: "\n") + "\n")
        repo.write("moved/extra.txt", "extra\n")
        try repo.commitAll("ours")
        try repo.git("checkout", "-q", "theirs")
        var theirs = lines; theirs[11] = "last line changed by theirs"
        repo.write("dir/a.txt", theirs.joined(separator: "\n") + "\n")
        repo.write("dir/new.txt", "new\n")
        try repo.commitAll("theirs")
        return repo
    }

    private func outcome(_ repo: TempRepo) throws -> (Differential.Mismatch?, ConflictPrediction) {
        let predictor = try Differential.predictor(repo.path)
        let (mismatch, _, _, prediction) = try Differential.compare(predictor, repo: repo.path, "main", "theirs")
        return (mismatch, prediction)
    }

    @Test func defaultsMoveTheAddedFileAndFollowTheRename() throws {
        let repo = try fixture()
        let (mismatch, prediction) = try outcome(repo)
        #expect(mismatch == nil, "\(String(describing: mismatch))")
        #expect(prediction.conflicts.map(\.path) == ["moved/new.txt"])
        #expect(prediction.conflicts.first?.kind == .location)
    }

    @Test func directoryRenamesOffLeavesTheAddedFileWhereItWas() throws {
        let repo = try fixture()
        try repo.git("config", "merge.directoryRenames", "false")
        let (mismatch, prediction) = try outcome(repo)
        #expect(mismatch == nil, "\(String(describing: mismatch))")
        #expect(prediction.verdict == .clean)
    }

    @Test func aTinyRenameLimitSkipsInexactRenames() throws {
        let repo = try fixture()
        try repo.git("config", "merge.renameLimit", "1")
        let (mismatch, prediction) = try outcome(repo)
        #expect(mismatch == nil, "\(String(describing: mismatch))")
        #expect(prediction.conflicts.contains { $0.path == "dir/a.txt" && $0.kind == .modifyDelete })
    }
}
