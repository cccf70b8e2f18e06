import Foundation

/// libgit2 inside the test process must not read the machine's ~/.gitconfig or /etc/gitconfig
/// either (git subprocesses get `Shell.gitEnvironment`). GitKit's Runtime reads these variables
/// when libgit2 is first initialised, so tests call this before opening any repository.
public enum ProcessIsolation {
    private static let once: Void = {
        setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1)
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1)
    }()

    public static func apply() { _ = once }
}
