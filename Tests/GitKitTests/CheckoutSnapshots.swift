import Foundation
@testable import GitKit
import GorchTestSupport
import Testing

// What a checkout left on disk and in its index, to compare ours with `git worktree add`'s
// (WorktreeCheckoutTests, CleanCopyCheckoutTests).

/// Every path under `root` but `.git`: "dir", "link <target>", or "file <mode> <bytes>".
func snapshot(_ root: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for path in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] where path != ".git" {
        let full = root + "/" + path
        var st = stat()
        guard lstat(full, &st) == 0 else { continue }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: result[path] = "dir"
        case S_IFLNK: result[path] = "link " + (try FileManager.default.destinationOfSymbolicLink(atPath: full))
        default:
            let content = FileManager.default.contents(atPath: full) ?? Data()
            result[path] = "file \(String(st.st_mode & 0o777, radix: 8)) \(content.base64EncodedString())"
        }
    }
    return result
}

/// `git ls-files -s --debug` without the stat lines that differ between two checkouts (size
/// and flags stay).
func indexWithoutStat(_ worktree: String) throws -> [String] {
    try GitCLI.git(["ls-files", "-s", "--debug"], in: worktree).split(separator: "\n").map(String.init).filter { line in
        !["ctime:", "mtime:", "dev:", "uid:"].contains { line.trimmingCharacters(in: .whitespaces).hasPrefix($0) }
    }
}

/// Index entries whose recorded stat data is not the file's own (git would re-read those).
func staleStatEntries(_ worktree: String) throws -> [String] {
    let output = try GitCLI.run("git", ["ls-files", "-z", "--debug"], in: worktree).stdout
    let pieces = output.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    var stale: [String] = []
    var checked = 0
    var path = pieces.first ?? ""
    for piece in pieces.dropFirst() where !path.isEmpty {
        let lines = piece.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields: [String: String] = [:]
        for part in lines.prefix(5).flatMap({ $0.split(separator: "\t") }) {
            let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        var st = stat()
        let ok = lstat(worktree + "/" + path, &st) == 0
            && fields["ctime"] == "\(st.changed.tv_sec):\(st.changed.tv_nsec)"
            && fields["mtime"] == "\(st.modified.tv_sec):\(st.modified.tv_nsec)"
            && fields["ino"] == "\(UInt32(truncatingIfNeeded: st.st_ino))" && fields["size"] == "\(UInt32(truncatingIfNeeded: st.st_size))"
            && fields["uid"] == "\(st.st_uid)" && fields["gid"] == "\(st.st_gid)"
        if !ok { stale.append(path) }
        checked += 1
        path = lines.count > 5 ? lines[5] : ""
    }
    return checked == 0 ? ["(no index entries read)"] : stale
}
