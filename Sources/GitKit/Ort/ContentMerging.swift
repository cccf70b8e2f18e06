/// handle_content_merge() and merge_3way() of merge-ort.c.
extension OrtMergeState {
    /// Merges three versions of one file into `result`; returns whether that was clean.
    func handleContentMerge(path: String, _ o: Version, _ a: Version, _ b: Version, pathnames: [String],
                            extraMarkerSize: Int, result: inout Version) throws -> Bool {
        var clean = true
        if a.mode == b.mode || a.mode == o.mode {
            result.mode = b.mode
        } else {
            result.mode = a.mode
            clean = b.mode == o.mode
        }
        if a.oid == b.oid || a.oid == o.oid {
            result.oid = b.oid
        } else if b.oid == o.oid {
            result.oid = a.oid
        } else if a.isRegular {
            let twoWay = o.type != a.type
            let labels: (String, String, String)
            if bytesEqual(pathnames[0], pathnames[1]) && bytesEqual(pathnames[1], pathnames[2]) {
                labels = (ancestorLabel, branch1, branch2)
            } else {
                labels = ("\(ancestorLabel):\(pathnames[0])", "\(branch1):\(pathnames[1])", "\(branch2):\(pathnames[2])")
            }
            let markerSize = 7 + extraMarkerSize
            func merge(labels: (String, String, String)) throws -> ContentMerge.Outcome {
                let base = twoWay ? [] : try repository.blobData(o.oid)
                return try ContentMerge.merge(base: base, ours: try repository.blobData(a.oid), theirs: try repository.blobData(b.oid),
                                              labels: labels, markerSize: markerSize)
            }
            let key = ContentMergeKey(base: twoWay ? .zero : o.oid, ours: a.oid, theirs: b.oid, markerSize: markerSize)
            let memo = try cache.contentMerge(key) {
                switch try merge(labels: (labels.0, LabelTemplate.ours, LabelTemplate.theirs)) {
                case .merged(let bytes, let conflicted): return .merged(template: bytes, conflicted: conflicted)
                case .binary: return .binary
                }
            }
            switch memo {
            case .merged(let template, let conflicted):
                var bytes = template
                if conflicted {
                    if let filled = LabelTemplate.fill(template, markerSize: markerSize, ours: labels.1, theirs: labels.2) {
                        bytes = filled
                    } else if case .merged(let direct, _) = try merge(labels: labels) {
                        bytes = direct
                    }
                }
                result.oid = try repository.writeBlob(bytes)
                if conflicted { clean = false; note(path, .content) }
            case .binary:
                // ll_binary_merge: the base inside a virtual base (clean), else ours (conflicted).
                if callDepth > 0 {
                    // Two-way (no base blob): the base is empty, written so the tree can refer to it.
                    result.oid = twoWay ? try repository.writeBlob([]) : o.oid
                } else {
                    result.oid = a.oid
                    clean = false
                    note(path, .binary)
                }
            }
        } else if a.isGitlink {
            // merge_submodule(): without the submodule's objects at hand git cannot fast-forward
            // it, so both sides changing a gitlink differently conflicts (see docs/fidelity.md).
            clean = false
            result.oid = a.oid
            note(path, .submodule)
            let twoWay = o.type != a.type
            if callDepth > 0 && twoWay {
                result = o
            }
        } else if a.isSymlink {
            clean = false
            if callDepth > 0 { result = o } else { result.oid = a.oid }
            note(path, .content)
        } else {
            throw GitError(code: .other(-1), function: "handle_content_merge", message: "unsupported mode \(String(a.mode, radix: 8)) at \(path)")
        }
        return clean
    }

    /// Remembers why a path conflicted, for the report.
    func note(_ path: String, _ kind: ConflictKind) {
        pendingKinds[path, default: []].append(kind)
    }
}
