import Foundation

/// Deletes merged tasks' worktree folders in the background while the merge run goes on.
///
/// Removing a worktree is mostly deleting its files (a checkout of the whole tree each): on a
/// large repository that was most of `gorch merge`'s time per task, and on a file system that
/// discards freed blocks synchronously (ext4 mounted `discard`, common on VMs) the process sat
/// waiting for the disk. The cleanup step checks the worktree as before (clean, not locked),
/// then renames its folder into `.git/gorch/trash/` (one rename on the same file system) and
/// prunes its record; this thread deletes the renamed folder while the next task merges and
/// validates. The run waits for it before it returns (`finish`), so nothing is left behind. A
/// run killed meanwhile leaves folders in the trash, which the next run deletes the same way;
/// they are never a worktree any more (the record is pruned before the folder is queued).
final class FolderReaper: @unchecked Sendable {
    let trash: String
    private let queue = DispatchQueue(label: "gorch.reaper")
    private let group = DispatchGroup()
    private var counter = 0

    init(paths: GorchPaths) {
        trash = (paths.root as NSString).appendingPathComponent("trash")
        // What a killed run left: deleted by this one.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: trash)) ?? [] {
            delete((trash as NSString).appendingPathComponent(name))
        }
    }

    /// Moves `folder` into the trash and queues its deletion. False when it could not be moved
    /// (another file system, say): the caller removes it in place, as before.
    func take(_ folder: String, name: String) -> Bool {
        counter += 1
        let target = (trash as NSString).appendingPathComponent("\(name).\(getpid()).\(counter)")
        guard (try? PrivateState.createDirectory(trash)) != nil,
              rename(folder, target) == 0 else { return false }
        delete(target)
        return true
    }

    private func delete(_ path: String) {
        queue.async(group: group) { try? TreeRemoval.remove(path) }
    }

    /// Waits until every queued folder is deleted, then removes the trash folder if empty.
    func finish() {
        group.wait()
        rmdir(trash)
    }
}
