import Foundation
import GitKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The copy step of `WorktreeBootstrap`: expands `gorch.copy` globs in the main checkout and
/// copies what they match into the new worktree (see the rules there).
///
/// Globs: relative to the main checkout (a leading `./` or `/` is dropped); `*`, `?`, `[...]`
/// match within one path component (dotfiles included), `**` any number of components; a
/// component with `..` is refused. `.git` and `.worktrees` are never matched or descended into.
struct BootstrapCopier {
    let repository: Repository
    /// The main checkout.
    let source: String
    /// The new worktree.
    let destination: String

    struct Result {
        var copied: [String] = []
        var skipped: [WorktreeBootstrap.Skip] = []
        var warnings: [String] = []
    }

    /// `include`: the main checkout's `.worktreeinclude`, whose files (those its rules match that
    /// `ignores`, a handle on the main checkout, says git ignores) are copied after the globs'.
    func copy(_ globs: [String], include: WorktreeInclude? = nil, ignores: Repository? = nil) -> Result {
        var state = State(tracked: TrackedPaths(repository: repository), sourceRoot: Self.real(source) ?? source)
        for glob in globs {
            let text = Self.normalize(glob)
            guard !text.isEmpty else { continue }
            let components = text.split(separator: "/").map(String.init)
            if components.contains("..") || components.contains(".") {
                state.result.skipped.append(.init(path: glob, reason: "the pattern leaves the checkout (.. or .)"))
                continue
            }
            var matches = Set<String>()
            expand(components, 0, "", into: &matches, state: &state)
            for path in matches.sorted() { copyItem(path, state: &state) }
        }
        if let include, let ignores {
            var found: [String] = []
            collect(include, ignores: ignores, below: "", into: &found)
            for path in found { copyItem(path, state: &state) }
        }
        return state.result
    }

    /// The files below `directory` that `include` matches and git ignores, in path order; symlinked
    /// folders are not entered (a symlink is a file to git).
    private func collect(_ include: WorktreeInclude, ignores: Repository, below directory: String, into found: inout [String]) {
        for name in children(directory) {
            let path = join(directory, name)
            switch kind(path) {
            case .directory:
                collect(include, ignores: ignores, below: path, into: &found)
            case .file, .symlink:
                if include.matches(path, isDirectory: false), ignores.isIgnored(path) == true { found.append(path) }
            default:
                break
            }
        }
    }

    private struct State {
        var tracked: TrackedPaths
        let sourceRoot: String
        var result = Result()
        var done = Set<String>()
    }

    // MARK: - Glob expansion

    private func expand(_ components: [String], _ index: Int, _ directory: String, into matches: inout Set<String>,
                        state: inout State) {
        guard index < components.count else { return }
        let component = components[index]
        let isLast = index == components.count - 1
        if component == "**" {
            if isLast {
                // `dir/**`: everything below dir.
                for name in children(directory) { matches.insert(join(directory, name)) }
                return
            }
            expand(components, index + 1, directory, into: &matches, state: &state)
            for name in children(directory) where kind(join(directory, name)) == .directory {
                expand(components, index, join(directory, name), into: &matches, state: &state)
            }
            return
        }
        let names: [String]
        if Self.hasWildcard(component) {
            names = children(directory).filter { fnmatch(component, $0, 0) == 0 }
        } else {
            names = kind(join(directory, component)) == nil || Self.isExcluded(component, in: directory) ? [] : [component]
        }
        for name in names {
            let path = join(directory, name)
            if isLast {
                matches.insert(path)
            } else {
                switch kind(path) {
                case .directory: expand(components, index + 1, path, into: &matches, state: &state)
                case .symlink where !Self.hasWildcard(component):
                    state.result.skipped.append(.init(path: path, reason: "a symlinked folder is not followed"))
                default: break
                }
            }
        }
    }

    /// Entries of a main-checkout directory, without `.git` (anywhere) and `.worktrees` (top level).
    private func children(_ directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: absolute(source, directory))) ?? []
        return names.filter { !Self.isExcluded($0, in: directory) }.sorted()
    }

    static func isExcluded(_ name: String, in directory: String) -> Bool {
        name == ".git" || (directory.isEmpty && name == GorchPaths.worktreesFolder)
    }

    // MARK: - Copying

    private func copyItem(_ path: String, state: inout State) {
        guard state.done.insert(path).inserted else { return }
        let from = absolute(source, path), to = absolute(destination, path)
        guard let kind = kind(path) else { return }
        if kind != .directory, state.tracked.isTracked(path) { return }
        if let parent = symlinkedParent(of: path) {
            state.result.skipped.append(.init(path: path, reason: "\(parent) is a symlink in the worktree"))
            return
        }
        var existing = stat()
        let exists = lstat(to, &existing) == 0
        if exists && !(kind == .directory && (existing.st_mode & S_IFMT) == S_IFDIR) {
            state.result.skipped.append(.init(path: path, reason: "already exists in the worktree (never overwritten)"))
            return
        }
        switch kind {
        case .directory:
            do {
                if !exists {
                    try makeParents(of: to)
                    var info = stat()
                    lstat(from, &info)
                    guard mkdir(to, info.st_mode & 0o7777) == 0 || errno == EEXIST else {
                        throw GorchFailure(.environment, String(cString: strerror(errno)))
                    }
                }
            } catch {
                state.result.warnings.append("could not copy \(path): \(WorktreeBootstrap.describe(error))")
                return
            }
            for name in children(path) { copyItem(join(path, name), state: &state) }
        case .symlink:
            guard let target = Self.readLink(from) else {
                state.result.skipped.append(.init(path: path, reason: "unreadable symlink"))
                return
            }
            guard pointsInside(target, linkDirectory: (from as NSString).deletingLastPathComponent, root: state.sourceRoot) else {
                let reason = "symlink to \(target) points outside the repository (not followed)"
                state.result.skipped.append(.init(path: path, reason: reason))
                state.result.warnings.append("not copied \(path): \(reason)")
                return
            }
            do {
                try makeParents(of: to)
                guard symlink(target, to) == 0 else { throw GorchFailure(.environment, String(cString: strerror(errno))) }
                state.result.copied.append(path)
            } catch {
                state.result.warnings.append("could not copy \(path): \(WorktreeBootstrap.describe(error))")
            }
        case .file:
            do {
                try makeParents(of: to)
                try Self.copyFile(from, to)
                state.result.copied.append(path)
            } catch {
                state.result.warnings.append("could not copy \(path): \(WorktreeBootstrap.describe(error))")
            }
        case .other:
            state.result.skipped.append(.init(path: path, reason: "not a regular file, folder or symlink"))
        }
    }

    /// The first parent folder of `path` that is a symlink in the worktree (writing through it
    /// could land outside the worktree).
    private func symlinkedParent(of path: String) -> String? {
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix = join(prefix, String(component))
            var info = stat()
            if lstat(absolute(destination, prefix), &info) != 0 { return nil }
            if (info.st_mode & S_IFMT) == S_IFLNK { return prefix }
        }
        return nil
    }

    private func makeParents(of path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
    }

    /// Whether a symlink's target, resolved from the link's folder, stays inside the checkout:
    /// both lexically and, when it exists, after resolving further symlinks.
    private func pointsInside(_ target: String, linkDirectory: String, root: String) -> Bool {
        let joined = target.hasPrefix("/") ? target : (linkDirectory as NSString).appendingPathComponent(target)
        let lexical = (joined as NSString).standardizingPath
        let base = Self.real(linkDirectory).map { target.hasPrefix("/") ? target : ($0 as NSString).appendingPathComponent(target) }
        let candidates = [lexical, base.map { ($0 as NSString).standardizingPath }].compactMap { $0 }
        let roots = [root, source]
        let lexicallyInside = candidates.contains { path in roots.contains { Self.isInside(path, $0) } }
        guard lexicallyInside else { return false }
        if let resolved = Self.real(joined) { return roots.contains { Self.isInside(resolved, $0) } }
        return true
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        let root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        return path == root || path.hasPrefix(root + "/")
    }

    // MARK: - File system helpers

    enum Kind { case file, directory, symlink, other }

    /// The kind of a main-checkout path, without following a symlink; nil when absent.
    private func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(absolute(source, path), &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Copies a regular file's bytes and permission bits; O_EXCL, so it never replaces anything.
    static func copyFile(_ from: String, _ to: String) throws {
        let input = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw GorchFailure(.environment, "cannot read it: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw GorchFailure(.environment, String(cString: strerror(errno))) }
        let mode = info.st_mode & 0o7777
        let output = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard output >= 0 else { throw GorchFailure(.environment, "cannot create it in the worktree: \(String(cString: strerror(errno)))") }
        var failed: String?
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                failed = "read: \(String(cString: strerror(errno)))"
                break
            }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + offset, count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    failed = "write: \(String(cString: strerror(errno)))"
                    break loop
                }
                offset += written
            }
        }
        if failed == nil, fchmod(output, mode) != 0 { failed = "chmod: \(String(cString: strerror(errno)))" }
        close(output)
        if let failed {
            unlink(to)  // our own half-written copy
            throw GorchFailure(.environment, failed)
        }
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func normalize(_ glob: String) -> String {
        var text = glob.trimmingCharacters(in: .whitespaces)
        while text.hasPrefix("./") { text.removeFirst(2) }
        while text.hasPrefix("/") { text.removeFirst() }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func hasWildcard(_ component: String) -> Bool { component.contains { "*?[".contains($0) } }

    private func join(_ directory: String, _ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
    private func absolute(_ root: String, _ relative: String) -> String {
        relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
    }
}

/// Whether a main-checkout path is tracked: in HEAD's tree or added to the index, and not
/// untracked (`git rm --cached`). Trees are read lazily, one folder at a time.
struct TrackedPaths {
    let repository: Repository
    private var trees: [String: [String: TreeEntry]] = [:]
    private var loadedStatus = false
    private var staged = Set<String>()
    private var untracked = Set<String>()
    private var root: OID?
    private var rootLoaded = false

    init(repository: Repository) {
        self.repository = repository
    }

    mutating func isTracked(_ path: String) -> Bool {
        loadStatus()
        if untracked.contains(path) { return false }
        if staged.contains(path) { return true }
        return inHead(path)
    }

    private mutating func loadStatus() {
        guard !loadedStatus else { return }
        loadedStatus = true
        for entry in (try? repository.status()) ?? [] {
            if entry.isUntracked { untracked.insert(entry.path) } else if entry.indexChanged { staged.insert(entry.path) }
        }
    }

    private mutating func inHead(_ path: String) -> Bool {
        if !rootLoaded {
            rootLoaded = true
            if let head = try? repository.headCommit() { root = try? repository.commit(head).tree }
        }
        guard var tree = root else { return false }
        var directory = ""
        let components = path.split(separator: "/").map(String.init)
        for (index, component) in components.enumerated() {
            let entries: [String: TreeEntry]
            if let cached = trees[directory] {
                entries = cached
            } else {
                let list = (try? repository.treeEntries(tree)) ?? []
                entries = Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
                trees[directory] = entries
            }
            guard let entry = entries[component] else { return false }
            if index == components.count - 1 { return true }
            guard entry.mode == .tree else { return false }
            tree = entry.oid
            directory = directory.isEmpty ? component : directory + "/" + component
        }
        return false
    }
}
