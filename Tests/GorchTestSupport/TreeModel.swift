import Foundation
import GitKit

/// One file as the generator sees it.
struct FileEntry: Equatable {
    enum Content: Equatable {
        case text([String])
        case binary([UInt8])
        case symlink(String)
    }

    var content: Content
    var executable = false

    var lines: [String]? {
        if case .text(let lines) = content { return lines }
        return nil
    }

    var isRegular: Bool {
        if case .symlink = content { return false }
        return true
    }

    /// Git mode and blob bytes.
    var mode: String {
        switch content {
        case .symlink: "120000"
        default: executable ? "100755" : "100644"
        }
    }

    var bytes: Data {
        switch content {
        case .text(let lines): lines.isEmpty ? Data() : Data((lines.joined(separator: "\n") + "\n").utf8)
        case .binary(let bytes): Data(bytes)
        case .symlink(let target): Data(target.utf8)
        }
    }

    init(content: Content, executable: Bool = false) {
        self.content = content
        self.executable = executable
    }

    init(mode: String, bytes: Data) {
        if mode == "120000" {
            self.init(content: .symlink(String(decoding: bytes, as: UTF8.self)))
        } else {
            self.init(content: FileEntry.decode(bytes), executable: mode == "100755")
        }
    }

    static func decode(_ data: Data) -> Content {
        if data.contains(0) { return .binary([UInt8](data)) }
        if data.isEmpty { return .text([]) }
        // Split bytes, not Characters: "\r\n" is a single Character and would hide the "\n".
        var lines = data.split(separator: 10, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        return .text(lines)
    }
}

/// A snapshot of a commit's files, edited in memory; commits are written with fast-import,
/// so generating a case touches no work tree.
struct TreeModel {
    private(set) var files: [String: FileEntry] = [:]

    /// Paths in a stable order (dictionary order is randomised per process).
    var paths: [String] { files.keys.sorted() }

    func paths(where predicate: (FileEntry) -> Bool) -> [String] {
        paths.filter { files[$0].map(predicate) ?? false }
    }

    /// Every directory that holds a file, at any depth, sorted; the root is not included.
    var directories: [String] {
        var dirs = Set<String>()
        for path in files.keys {
            var parent = parentDir(path)
            while !parent.isEmpty {
                dirs.insert(parent)
                parent = parentDir(parent)
            }
        }
        return dirs.sorted()
    }

    func files(under dir: String) -> [String] {
        paths.filter { $0.hasPrefix(dir + "/") }
    }

    /// True when a file could be created at `path`: nothing there, nothing below it, no file above it.
    func isFree(_ path: String) -> Bool {
        if path.isEmpty || files[path] != nil { return false }
        if files.keys.contains(where: { $0.hasPrefix(path + "/") }) { return false }
        var parent = parentDir(path)
        while !parent.isEmpty {
            if files[parent] != nil { return false }
            parent = parentDir(parent)
        }
        return true
    }

    mutating func put(_ path: String, _ entry: FileEntry) { files[path] = entry }

    mutating func delete(_ path: String) { files[path] = nil }

    /// The files of `commit`: `ls-tree -r -z` for modes and ids, one `cat-file --batch` for contents.
    static func load(commit: String, repo: String) throws -> TreeModel {
        let listing = try Shell.runGit(["ls-tree", "-r", "-z", commit], cwd: repo)
        guard listing.status == 0 else {
            throw ShellError(command: ["git", "ls-tree", "-r", "-z", commit], status: listing.status, stderr: listing.stderr, cwd: repo)
        }
        var entries: [(path: String, mode: String, oid: String)] = []
        for record in listing.stdoutData.split(separator: 0) {
            // "<mode> SP <type> SP <oid> TAB <path>"
            guard let tab = record.firstIndex(of: 9) else { continue }
            let meta = String(decoding: record[record.startIndex..<tab], as: UTF8.self).split(separator: " ")
            guard meta.count == 3, meta[1] == "blob" else { continue } // submodules can't occur; skip anyway
            entries.append((RawPath.decode(Array(record[(tab + 1)...])), String(meta[0]), String(meta[2])))
        }
        let blobs = try catBlobs(Array(Set(entries.map(\.oid))).sorted(), repo: repo)
        var model = TreeModel()
        for entry in entries {
            guard let bytes = blobs[entry.oid] else { throw ShellError(command: ["git", "cat-file"], status: -1, stderr: "missing blob \(entry.oid)", cwd: repo) }
            model.put(entry.path, FileEntry(mode: entry.mode, bytes: bytes))
        }
        return model
    }

    /// `git cat-file --batch`: per object "<oid> blob <size>\n<bytes>\n".
    private static func catBlobs(_ oids: [String], repo: String) throws -> [String: Data] {
        guard !oids.isEmpty else { return [:] }
        let result = try Shell.runGit(["cat-file", "--batch"], cwd: repo, input: Data((oids.joined(separator: "\n") + "\n").utf8))
        let data = result.stdoutData
        var blobs: [String: Data] = [:]
        var i = data.startIndex
        while i < data.endIndex, let newline = data[i...].firstIndex(of: 10) {
            let header = String(decoding: data[i..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, let size = Int(header[2]), newline + 1 + size <= data.endIndex else { break }
            blobs[String(header[0])] = Data(data[(newline + 1)..<(newline + 1 + size)])
            i = newline + 1 + size + 1
        }
        return blobs
    }
}

func parentDir(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[..<slash])
}

func baseName(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}

func join(_ dir: String, _ name: String) -> String {
    dir.isEmpty ? name : dir + "/" + name
}
