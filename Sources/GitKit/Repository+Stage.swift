internal import CLibGit2
import Foundation

extension Repository {
    /// `git add -A && git commit -m message` in this repository's work tree: stages every change
    /// (new, modified and deleted files; ignored files stay out), writes the index and commits on
    /// HEAD's branch. During a merge (MERGE_HEAD present) the commit gets MERGE_HEAD as its second
    /// parent and the merge state files are removed, as `git commit` concludes a merge.
    @discardableResult
    public func commitAll(message: String, author: Signature? = nil) throws -> OID {
        var index: OpaquePointer?
        try check(git_repository_index(&index, raw), "git_repository_index")
        guard let index else { throw GitError(code: .notFound, function: "git_repository_index", message: "no index") }
        defer { git_index_free(index) }
        try withStringArray(["*"]) { pathspec in
            _ = try check(git_index_add_all(index, &pathspec, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil), "git_index_add_all")
            _ = try check(git_index_update_all(index, &pathspec, nil, nil), "git_index_update_all")
        }
        try check(git_index_write(index), "git_index_write")
        var treeID = git_oid()
        try check(git_index_write_tree(&treeID, index), "git_index_write_tree")

        var parents: [OID] = []
        if let head = try headCommit() { parents.append(head) }
        let mergeHead = (gitDirectory as NSString).appendingPathComponent("MERGE_HEAD")
        if let text = try? String(contentsOfFile: mergeHead, encoding: .utf8) {
            parents += text.split(whereSeparator: \.isNewline).compactMap { OID(hex: String($0)) }
        }
        let commit = try createCommit(tree: OID(treeID), parents: parents,
                                      message: message.hasSuffix("\n") ? message : message + "\n",
                                      author: author, committer: author, updateRef: "HEAD")
        try check(git_repository_state_cleanup(raw), "git_repository_state_cleanup")
        return commit
    }
}
