import Foundation

/// One line of `git merge-tree --write-tree`'s "conflicted file info": an index stage of a path.
public struct OracleStage: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var stage: Int
    /// Octal, as git prints it ("100644").
    public var mode: String
    public var oid: String

    public init(path: String, stage: Int, mode: String, oid: String) {
        self.path = path
        self.stage = stage
        self.mode = mode
        self.oid = oid
    }

    public var description: String { "\(mode) \(oid) \(stage)\t\(path)" }
}

extension GitOracle {
    /// The conflict stages git's merge-ort records for merging `b` into `a`
    /// (`git merge-tree --write-tree -z a b`, without --name-only), in git's order (path bytes,
    /// then stage). Empty for a clean merge; nil for unrelated histories.
    ///
    /// With -z the output is `<tree>NUL`, then per stage `<mode> <object> <stage>TAB<path>NUL`,
    /// then (when conflicted) an empty field and the messages.
    public static func conflictStages(repo: String, _ a: String, _ b: String) throws -> [OracleStage]? {
        let args = ["merge-tree", "--write-tree", "-z", a, b]
        let result = try Shell.runGit(args, cwd: repo)
        if result.status == 128 && result.stderr.contains("refusing to merge unrelated histories") { return nil }
        let fields = nulFields(result.stdoutData)
        guard result.status == 0 || result.status == 1, let tree = fields.first, isObjectId(tree) else {
            throw ShellError(command: ["git"] + args, status: result.status,
                             stderr: result.stderr.isEmpty ? "unexpected output: \(result.stdout)" : result.stderr, cwd: repo)
        }
        if result.status == 0 { return [] }
        var stages: [OracleStage] = []
        for field in fields.dropFirst() {
            if field.isEmpty { break }  // the end of the conflicted file info
            guard let stage = parseStage(field) else {
                throw ShellError(command: ["git"] + args, status: result.status, stderr: "cannot parse stage line: \(field)", cwd: repo)
            }
            stages.append(stage)
        }
        return stages
    }

    /// Parses `<mode> <object> <stage>\t<path>`; the path may contain spaces and tabs.
    static func parseStage(_ line: String) -> OracleStage? {
        guard let tab = line.utf8.firstIndex(of: 0x09) else { return nil }
        let head = line[..<tab].split(separator: " ")
        guard head.count == 3, let stage = Int(head[2]) else { return nil }
        return OracleStage(path: String(line[line.utf8.index(after: tab)...]), stage: stage,
                           mode: String(head[0]), oid: String(head[1]))
    }
}
