import Foundation
import GitKit

/// What git's merge-ort says about merging two commits.
public struct OracleResult: Equatable, Sendable, CustomStringConvertible {
    public var clean: Bool
    /// The merged tree (with conflict markers when not clean); nil for unrelated histories.
    public var tree: String?
    /// Paths git reports as conflicted (unquoted, exactly as stored in the tree).
    public var conflictPaths: Set<String>
    /// git refused: the commits share no history.
    public var unrelated: Bool
    /// The kinds of git's messages ("Auto-merging", "CONFLICT (rename/delete)", ...), for
    /// per-cause counts.
    public var messageTypes: Set<String>

    public init(clean: Bool, tree: String?, conflictPaths: Set<String> = [], unrelated: Bool = false, messageTypes: Set<String> = []) {
        self.clean = clean
        self.tree = tree
        self.conflictPaths = conflictPaths
        self.unrelated = unrelated
        self.messageTypes = messageTypes
    }

    public var description: String {
        if unrelated { return "unrelated histories" }
        let tree = tree ?? "nil"
        if clean { return "clean \(tree)" }
        return "conflicted \(tree) [\(conflictPaths.sorted().joined(separator: ", "))]"
    }
}

/// git itself as the reference implementation.
public enum GitOracle {
    /// `git merge-tree --write-tree --name-only -z a b`.
    ///
    /// Output with `-z` is `<tree>NUL`, then `<path>NUL` per conflicted path (each path once,
    /// unquoted); when git has messages, an empty field and per message
    /// `<path count>NUL<paths...>NUL<type>NUL<message>NUL`. Exit 1 also covers "not something we
    /// can merge" (empty stdout), so a tree id is required.
    public static func mergeTree(repo: String, _ a: String, _ b: String) throws -> OracleResult {
        let args = ["merge-tree", "--write-tree", "--name-only", "-z", a, b]
        let result = try Shell.runGit(args, cwd: repo)
        let fields = nulFields(result.stdoutData)
        switch result.status {
        case 0, 1:
            guard let tree = fields.first, isObjectId(tree) else { break }
            let paths = fields.dropFirst().prefix { !$0.isEmpty }
            let types = Set(messageTypes(fields))
            if result.status == 0 {
                guard paths.isEmpty else { break }
                return OracleResult(clean: true, tree: tree, messageTypes: types)
            }
            return OracleResult(clean: false, tree: tree, conflictPaths: Set(paths), messageTypes: types)
        case 128 where result.stderr.contains("refusing to merge unrelated histories"):
            return OracleResult(clean: false, tree: nil, unrelated: true)
        default:
            break
        }
        throw ShellError(command: ["git"] + args, status: result.status,
                         stderr: result.stderr.isEmpty ? "unexpected output: \(result.stdout)" : result.stderr,
                         cwd: repo)
    }

    /// The kind of each message in `merge-tree --write-tree --name-only -z` output split at NULs:
    /// after the tree, the paths and an empty field, per message `<path count> NUL <paths...> NUL
    /// <type> NUL <message> NUL`.
    static func messageTypes(_ fields: [String]) -> [String] {
        var rest = fields.dropFirst().drop { !$0.isEmpty }.dropFirst()
        var types: [String] = []
        while let countField = rest.first, let count = Int(countField), rest.count >= count + 3 {
            types.append(rest[rest.startIndex + 1 + count])
            rest = rest.dropFirst(count + 3)
        }
        return types
    }

    /// `git merge-base --all a b`: every best common ancestor (empty for unrelated histories).
    public static func mergeBases(repo: String, _ a: String, _ b: String) throws -> [String] {
        let result = try Shell.runGit(["merge-base", "--all", a, b], cwd: repo)
        if result.status == 1 && result.stdout.isEmpty { return [] }
        guard result.status == 0 else {
            throw ShellError(command: ["git", "merge-base", "--all", a, b], status: result.status,
                             stderr: result.stderr, cwd: repo)
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// Splits on NUL bytes (not Characters) so each field decodes on its own, losslessly as
    /// gorch reads names (`RawPath`: bytes that are not UTF-8 kept as escapes).
    static func nulFields(_ data: Data) -> [String] {
        data.split(separator: 0, omittingEmptySubsequences: false).map { RawPath.decode(Array($0)) }
    }

    static func isObjectId(_ s: String) -> Bool {
        (s.utf8.count == 40 || s.utf8.count == 64) && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
