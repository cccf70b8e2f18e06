import Foundation

extension ErrorReport {
    /// A file gorch reads or writes (its state under .git/gorch, a worktree file) that the
    /// file system refused: the environment, with the path and the system's reason.
    init(file error: CocoaError) {
        let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? error.userInfo[NSURLErrorKey].map { "\($0)" }
        let reason = (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? error.localizedDescription
        self.init(kind: .environment, message: path.map { "cannot use \($0): \(reason)" } ?? reason,
                  hint: "check the file's permissions and the free disk space")
    }
}
