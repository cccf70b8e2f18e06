import Foundation
import GitKit

/// Batches commits into one `git fast-import` run: a whole generated history costs one process
/// instead of three git calls per commit.
final class FastImport {
    private let repo: String
    private var stream = Data()
    private var nextMark = 1
    /// Commit ids of marks from earlier runs (marks don't survive between fast-import processes).
    private var ids: [Int: String] = [:]

    init(repo: String) { self.repo = repo }

    /// Queues a commit of `tree` on `ref` with `parents` (handles from `commit` or commit ids);
    /// returns a handle: ":<mark>" until `run()`, resolvable to an id with `resolve` afterwards.
    func commit(ref: String, message: String, parents: [String], tree: TreeModel) -> String {
        let mark = nextMark
        nextMark += 1
        let who = "Test <test@example.com> 1704067200 +0000" // same identity and date as Shell.gitEnvironment
        var text = ""
        if parents.isEmpty { text += "reset \(ref)\n" } // else the ref's current tip would become the parent
        text += "commit \(ref)\nmark :\(mark)\nauthor \(who)\ncommitter \(who)\n"
        append(text)
        appendData(Data(message.utf8))
        for (i, parent) in parents.enumerated() {
            append("\(i == 0 ? "from" : "merge") \(resolve(parent))\n")
        }
        append("deleteall\n")
        for path in tree.paths {
            guard let entry = tree.files[path] else { continue }
            append("M \(entry.mode) inline \(FastImport.quote(path))\n")
            appendData(entry.bytes)
        }
        append("\n")
        return ":\(mark)"
    }

    /// A commit id for a handle when known (after `run()`), else the handle itself.
    func resolve(_ handle: String) -> String {
        guard handle.hasPrefix(":"), let mark = Int(handle.dropFirst()), let id = ids[mark] else { return handle }
        return id
    }

    /// Feeds the queued commits to git; `--force` because refs are reused as scratch and may move backwards.
    func run() throws {
        guard !stream.isEmpty else { return }
        let marks = (NSTemporaryDirectory() as NSString).appendingPathComponent("gorch-marks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: marks) }
        // unpackLimit=0 keeps the pack: exploding it into loose objects cost ~100 ms per case.
        let args = ["-c", "fastimport.unpackLimit=0", "fast-import", "--quiet", "--force", "--done", "--export-marks=\(marks)"]
        stream.append(Data("done\n".utf8))
        let result = try Shell.runGit(args, cwd: repo, input: stream)
        stream = Data()
        guard result.status == 0 else {
            throw ShellError(command: ["git"] + args, status: result.status, stderr: result.stderr, cwd: repo)
        }
        let exported = (try? String(contentsOfFile: marks, encoding: .utf8)) ?? ""
        for line in exported.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let mark = Int(parts[0].dropFirst()) { ids[mark] = String(parts[1]) }
        }
    }

    private func append(_ text: String) { stream.append(Data(text.utf8)) }

    private func appendData(_ data: Data) {
        append("data \(data.count)\n")
        stream.append(data)
        append("\n")
    }

    /// C-style quoting, which fast-import always accepts (and needs for names with `"` or LF);
    /// bytes outside ASCII as octal escapes, so names that are not UTF-8 (`RawPath` escapes)
    /// reach git as their raw bytes.
    static func quote(_ path: String) -> String {
        var out = "\""
        for byte in RawPath.bytes(path) {
            switch byte {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x80...: out += "\\" + String(byte, radix: 8)
            default: out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out + "\""
    }
}
