import Foundation
@testable import GorchCore
import GitKit
import GorchTestSupport
import Testing

/// `TreeRemoval.remove`: everything below the folder goes, nothing a symlink points at does.
@Suite(.timeLimit(.minutes(20))) struct TreeRemovalTests {
    @Test func removesEverythingAndFollowsNoLink() throws {
        let dir = try TempDirectory(label: #function)
        let doomed = dir.path + "/doomed", outside = dir.path + "/outside"
        let manager = FileManager.default
        try manager.createDirectory(atPath: outside + "/keep", withIntermediateDirectories: true)
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: outside + "/keep/file.txt"))
        for i in 0..<300 {
            let folder = doomed + "/d\(i % 7)/e\(i % 3)"
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("file \(i)\n".utf8).write(to: URL(fileURLWithPath: folder + "/f\(i).txt"))
        }
        try manager.createDirectory(atPath: doomed + "/empty/deeper", withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: doomed + "/link-to-outside", withDestinationPath: outside)
        try manager.createSymbolicLink(atPath: doomed + "/d1/link-to-keep", withDestinationPath: outside + "/keep")
        try manager.createSymbolicLink(atPath: doomed + "/dangling", withDestinationPath: "nowhere")
        _ = mkfifo(doomed + "/d2/fifo", 0o644)
        try Data("x".utf8).write(to: URL(fileURLWithPath: doomed + "/.hidden"))

        try TreeRemoval.remove(doomed)
        #expect(!manager.fileExists(atPath: doomed))
        #expect(try String(contentsOfFile: outside + "/keep/file.txt", encoding: .utf8) == "kept\n")
    }

    /// A name that is not UTF-8 is left to FileManager, and still goes.
    @Test func aNameThatIsNotUTF8StillGoes() throws {
        let dir = try TempDirectory(label: #function)
        let raw = RawPath.decode(Array((dir.path + "/doomed/caf").utf8) + [0xE9] + Array("/x.txt".utf8))
        try RawFiles.write(raw, Data("latin-1\n".utf8))
        try Data("y\n".utf8).write(to: URL(fileURLWithPath: dir.path + "/doomed/plain.txt"))
        try TreeRemoval.remove(dir.path + "/doomed")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/doomed"))
    }

    @Test func aMissingFolderIsNoError() throws {
        let dir = try TempDirectory(label: #function)
        try TreeRemoval.remove(dir.path + "/never-made")
    }
}
