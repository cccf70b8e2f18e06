import Foundation

/// The real libgit2 history (a git bundle in shared/corpus) for fidelity tests and benchmarks.
public enum Corpus {
    public struct MissingBundle: Error, CustomStringConvertible {
        public var description: String {
            "libgit2.bundle not found: set GORCH_CORPUS_BUNDLE or put shared/corpus/ beside the package"
                + (Corpus.isRequired ? " (CI=true: the corpus tests must run)" : "")
        }
    }

    /// Whether corpus tests run: when the bundle is there, and always under CI (`CI=true`), where
    /// a missing bundle is then a failure (`mirror()` throws) rather than a silent skip.
    public static var isEnabled: Bool { bundlePath != nil || isRequired }

    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The differential suites' time limit: 20 minutes for the CI sample (as every suite,
    /// SuiteTimeLimitTests says why), a day for the long runs
    /// of scripts/fuzz (any of GORCH_FUZZ_CASES, GORCH_CORPUS_MAINLINE, GORCH_CORPUS_PAIRS set).
    public static var suiteTimeLimitMinutes: Int {
        let environment = ProcessInfo.processInfo.environment
        return ["GORCH_FUZZ_CASES", "GORCH_CORPUS_MAINLINE", "GORCH_CORPUS_PAIRS"].contains { environment[$0] != nil } ? 24 * 60 : 20
    }

    /// `GORCH_CORPUS_BUNDLE` if set, else `<package root>/../shared/corpus/libgit2.bundle`;
    /// nil when that file does not exist.
    public static var bundlePath: String? {
        let candidate: String
        if let env = ProcessInfo.processInfo.environment["GORCH_CORPUS_BUNDLE"], !env.isEmpty {
            candidate = env
        } else if let root = packageRoot() {
            candidate = ((root as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("shared/corpus/libgit2.bundle")
        } else {
            return nil
        }
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// A bare mirror clone of the bundle (every branch local), made once per process and shared
    /// by all tests; removed when the process exits.
    public static func mirror() throws -> String {
        try mirrorState.withLock { state in
            if let path = state.path { return path }
            guard let bundle = bundlePath else { throw MissingBundle() }
            let dir = try TempDirectory(label: "corpus")
            let path = dir.path + "/libgit2.git"
            try Shell.git(["clone", "-q", "--mirror", bundle, path], cwd: dir.path)
            state.path = path
            state.directory = dir
            atexit { Corpus.removeMirror() }
            return path
        }
    }

    /// `(M^1, M^2)` of merges on main's first-parent line, newest first; when there are more than
    /// `limit`, an evenly spaced (deterministic) selection across the whole history.
    public static func mainlineMerges(in repo: String, limit: Int) throws -> [(String, String)] {
        let output = try Shell.git(["rev-list", "--first-parent", "--merges", "--parents", "main"], cwd: repo)
        let pairs: [(String, String)] = output.split(separator: "\n").compactMap { line in
            let ids = line.split(separator: " ")
            return ids.count >= 3 ? (String(ids[1]), String(ids[2])) : nil
        }
        return spread(pairs, limit: limit)
    }

    /// Unordered pairs of branch names (refs/heads/*, sorted by name), `a < b`; with `limit`,
    /// an evenly spaced selection of all pairs.
    public static func branchTipPairs(in repo: String, limit: Int?) throws -> [(String, String)] {
        let output = try Shell.git(["for-each-ref", "--format=%(refname)", "refs/heads/"], cwd: repo)
        let names = output.split(separator: "\n").map { String($0.dropFirst("refs/heads/".count)) }.sorted()
        var pairs: [(String, String)] = []
        for i in names.indices {
            for j in names.indices where j > i { pairs.append((names[i], names[j])) }
        }
        return limit.map { spread(pairs, limit: $0) } ?? pairs
    }

    /// Every (count/limit)-th element, keeping order.
    static func spread<T>(_ items: [T], limit: Int) -> [T] {
        guard limit < items.count else { return items }
        guard limit > 0 else { return [] }
        return (0..<limit).map { items[$0 * items.count / limit] }
    }

    /// The directory holding Package.swift, found from this file's real location (so a symlinked
    /// source tree still finds the package it belongs to).
    static func packageRoot(from file: String = #filePath) -> String? {
        var dir = (TempDirectory.realPath(file) as NSString).deletingLastPathComponent
        while dir != "/" && !dir.isEmpty {
            if FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("Package.swift")) {
                return dir
            }
            dir = (dir as NSString).deletingLastPathComponent
        }
        return nil
    }

    private final class MirrorState: @unchecked Sendable {
        var path: String?
        var directory: TempDirectory?
        private let lock = NSLock()

        /// The lock is held for the whole clone, so concurrent callers wait for the one clone.
        func withLock<T>(_ body: (MirrorState) throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body(self)
        }
    }

    private static let mirrorState = MirrorState()

    private static func removeMirror() {
        mirrorState.directory?.remove()
    }
}
