internal import CLibGit2
import Foundation

extension Repository {
    /// Why git would write some blob of this tree differently from its bytes (or otherwise not
    /// as a plain file in a fresh directory); nil when every file is written exactly as stored.
    ///
    /// On a system whose line ending is LF, git's checkout filters are the identity unless one
    /// of these is in play, and then the fresh checkout stands aside for libgit2's own: CRLF
    /// output (`core.autocrlf=true`, `core.eol=crlf`, an `eol=crlf` attribute), `ident`,
    /// `filter=<driver>`, `working-tree-encoding`. `text`, `text=auto`, `eol=lf`, `binary`,
    /// `crlf=input`, `diff`, `merge`, `linguist-*`... change nothing on the way out. Attributes
    /// are read from every place git reads them: each `.gitattributes` in the tree,
    /// `info/attributes`, `core.attributesFile` (or the XDG default) and `/etc/gitattributes`;
    /// macros are covered because their definitions are scanned too. Config that changes how
    /// files land (no symlinks, a case-insensitive or precomposing file system)
    /// also defers to libgit2. (HFS+ path rules are covered by `FreshTree.refusal`.)
    func checkoutFilterReason(attributeBlobs: [git_oid]) throws -> String? {
        if let reason = try checkoutConfigReason() { return reason }
        for var id in attributeBlobs {
            var blob: OpaquePointer?
            try check(git_blob_lookup(&blob, raw, &id), "git_blob_lookup")
            guard let blob else { continue }
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let content = git_blob_rawcontent(blob) else { continue }
            let bytes = UnsafeRawBufferPointer(start: content, count: size)
            if let reason = Self.filteringAttribute(in: bytes) { return "\(reason) in a .gitattributes" }
        }
        for file in try attributeFilesOutsideTree() {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            if let reason = data.withUnsafeBytes({ Self.filteringAttribute(in: $0) }) { return "\(reason) in \(file)" }
        }
        return nil
    }

    private func checkoutConfigReason() throws -> String? {
        if let autocrlf = try configString("core.autocrlf"), autocrlf.lowercased() != "input", try configFlag("core.autocrlf") == true {
            return "core.autocrlf=\(autocrlf)"
        }
        if let eol = try configString("core.eol"), !["lf", "native"].contains(eol.lowercased()) { return "core.eol=\(eol)" }
        if try configFlag("core.symlinks") == false { return "core.symlinks=false" }
        for key in ["core.ignorecase", "core.precomposeunicode"] where try configFlag(key) == true {
            return "\(key)=true"
        }
        return nil
    }

    /// `info/attributes`, the user's attributes file and the system one, as git looks for them.
    private func attributeFilesOutsideTree() throws -> [String] {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        var user = try configString("core.attributesFile")
        if let path = user, path.hasPrefix("~/") { user = home + path.dropFirst() }
        if user == nil {
            let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
            user = xdg + "/git/attributes"
        }
        return [(commonDirectory as NSString).appendingPathComponent("info/attributes"), "/etc/gitattributes"] + [user].compactMap { $0 }
    }

    /// The first attribute in a gitattributes text that makes git rewrite a file on checkout
    /// (on an LF system), or nil. Every whitespace-separated word of every non-comment line is
    /// looked at, patterns and macro definitions included, so a pattern that happens to read
    /// `ident` errs towards libgit2's checkout, never away from it.
    static func filteringAttribute(in text: UnsafeRawBufferPointer) -> String? {
        var lineStart = true, inComment = false
        var word: [UInt8] = []
        func judge() -> String? {
            defer { word.removeAll(keepingCapacity: true) }
            guard let first = word.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "!") else { return nil }
            let lower = String(decoding: word, as: UTF8.self).lowercased()
            let name = lower.split(separator: "=", maxSplits: 1).first.map(String.init) ?? lower
            if ["ident", "filter", "working-tree-encoding"].contains(name) { return lower }
            if lower == "eol=crlf" { return lower }
            return nil
        }
        for byte in text {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if !inComment, let reason = judge() { return reason }
                word.removeAll(keepingCapacity: true)
                lineStart = true
                inComment = false
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if !inComment, let reason = judge() { return reason }
            default:
                if lineStart && word.isEmpty && byte == UInt8(ascii: "#") { inComment = true }
                lineStart = false
                if !inComment { word.append(byte) }
            }
        }
        return inComment ? nil : judge()
    }
}
