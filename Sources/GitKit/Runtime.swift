internal import CLibGit2
import Foundation

/// libgit2's process-wide initialisation, done once.
enum Runtime {
    private static let once: Void = {
        git_libgit2_init()
        // Re-hashing every object read costs a SHA-1 per blob and commit (a quarter of a
        // branch-tip prediction); git itself verifies only in fsck, and so does gorch.
        _ = gorch_git_set_strict_hash_verification(0)
        // libgit2 caches no blobs and no object over 4 KiB by default, so the virtual merge
        // bases of a criss-cross merge inflated the same blobs (and large trees) through their
        // delta chains again for every virtual merge: a quarter of a heavy pair's profile.
        // Checkouts read blobs past these caches (`BlobReader`), so only merges fill them; the
        // total stays bounded by libgit2's cache size, lowered from 256 to 64 MiB per
        // repository (evicting): a prediction stream opens one repository per core, and 128 MiB
        // bought no speed on bench rows 1a-1c, only 75-145 MB more peak memory.
        _ = gorch_git_set_cache_object_limit(GIT_OBJECT_BLOB, 1 << 20)
        _ = gorch_git_set_cache_object_limit(GIT_OBJECT_TREE, 1 << 20)
        _ = gorch_git_set_cache_max_size(64 << 20)
        let env = ProcessInfo.processInfo.environment
        // Honour git's own isolation switches, which libgit2 does not read: tests and CI point
        // GIT_CONFIG_GLOBAL/NOSYSTEM away from the machine's config, and libgit2 must see the same.
        if let global = env["GIT_CONFIG_GLOBAL"] {
            let dir = (global as NSString).deletingLastPathComponent
            _ = gorch_git_set_search_path(Int32(GIT_CONFIG_LEVEL_GLOBAL.rawValue), global == "/dev/null" ? "/nonexistent" : dir)
            _ = gorch_git_set_search_path(Int32(GIT_CONFIG_LEVEL_XDG.rawValue), "/nonexistent")
        }
        if env["GIT_CONFIG_NOSYSTEM"].map({ ["1", "true", "yes"].contains($0.lowercased()) }) == true {
            _ = gorch_git_set_search_path(Int32(GIT_CONFIG_LEVEL_SYSTEM.rawValue), "/nonexistent")
        }
    }()

    static func initialize() { _ = once }

    /// The libgit2 version linked at run time, e.g. "1.5.1".
    static var libgit2Version: String {
        // git_libgit2_version() reports constants: no init needed (see `startInBackground`).
        var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
        git_libgit2_version(&major, &minor, &rev)
        return "\(major).\(minor).\(rev)"
    }
}

public enum LibGit2 {
    /// The libgit2 version linked at run time.
    public static var version: String { Runtime.libgit2Version }

    /// Starts libgit2's global initialisation on another thread. It takes about 9 ms (with
    /// Debian's mbedTLS build it parses the whole CA bundle, which gorch never uses) and nothing
    /// needs it until a repository opens, so a command's argument parsing runs meanwhile; the
    /// first libgit2 call waits for it to finish.
    public static func startInBackground() {
        Thread.detachNewThread { Runtime.initialize() }
    }
}
