internal import CLibGit2
import Foundation

extension Repository {
    /// The identity git would commit with: user.name and user.email from the config, the current
    /// time and time zone (`git_signature_default`). Throws `.notFound` naming the missing keys.
    public func defaultSignature() throws -> Signature {
        var signature: UnsafeMutablePointer<git_signature>?
        let rc = git_signature_default(&signature, raw)
        if rc == GIT_ENOTFOUND.rawValue {
            let missing = ["user.name", "user.email"].filter { ((try? configString($0)) ?? nil) == nil }
            let keys = missing.isEmpty ? "user.name and user.email" : missing.joined(separator: " and ")
            throw GitError(code: .notFound, function: "git_signature_default",
                           message: "no identity to commit with: \(keys) not set; set them with `git config user.name ...` "
                               + "and `git config user.email ...`")
        }
        try check(rc, "git_signature_default")
        guard let signature else { throw GitError(code: .notFound, function: "git_signature_default", message: "no signature") }
        defer { git_signature_free(signature) }
        return Signature(signature.pointee)
    }

    /// Writes a commit object (`git_commit_create`); two or more parents make a merge commit.
    /// Author and committer default to `defaultSignature()`. With `updateRef` nil no reference
    /// moves: the caller moves refs itself, by compare-and-swap. With a ref name, libgit2 moves it
    /// only if it currently points at `parents.first` (else `.refMoved`).
    /// The message is stored verbatim; end it with a newline as git does.
    public func createCommit(tree: OID, parents: [OID], message: String, author: Signature? = nil,
                             committer: Signature? = nil, updateRef: String? = nil) throws -> OID {
        var fallback: Signature?
        func identity(_ given: Signature?) throws -> Signature {
            if let given { return given }
            if let fallback { return fallback }
            let made = try defaultSignature()
            fallback = made
            return made
        }
        let author = try identity(author), committer = try identity(committer)

        var treeID = tree.raw
        var treeObject: OpaquePointer?
        try check(git_tree_lookup(&treeObject, raw, &treeID), "git_tree_lookup")
        guard let treeObject else { throw GitError(code: .notFound, function: "git_tree_lookup", message: tree.hex) }
        defer { git_tree_free(treeObject) }

        var parentObjects: [OpaquePointer?] = []
        defer { parentObjects.forEach { git_commit_free($0) } }
        for parent in parents {
            var id = parent.raw
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, raw, &id), "git_commit_lookup")
            parentObjects.append(commit)
        }

        var id = git_oid()
        try author.withRaw { authorRaw in
            try committer.withRaw { committerRaw in
                try withOptionalCString(updateRef) { ref in
                    try parentObjects.withUnsafeMutableBufferPointer { buffer in
                        _ = try check(git_commit_create(&id, raw, ref, authorRaw, committerRaw, nil, message, treeObject,
                                                        buffer.count, buffer.baseAddress), "git_commit_create")
                    }
                }
            }
        }
        return OID(id)
    }
}
