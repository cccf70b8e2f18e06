import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `git daemon` serving the bare repositories under a temporary directory over git://127.0.0.1,
/// push included (receive-pack). A bash wrapper owns the daemon: it stops the daemon on SIGTERM,
/// when the test process is gone, or after `lifetime` seconds, so no daemon outlives its test.
public final class GitDaemon: @unchecked Sendable {
    public let port: Int
    public let base: TempDirectory
    private let server: ServerProcess

    /// The wrapper: `$1` is the lifetime in seconds, the rest is git daemon's command line.
    private static let wrapper = """
        parent=$PPID; lifetime=$1; shift
        git daemon "$@" & daemon=$!
        trap 'kill -TERM $daemon 2>/dev/null; wait $daemon; exit 0' TERM INT
        ticks=0
        while kill -0 "$parent" 2>/dev/null && kill -0 "$daemon" 2>/dev/null && [ $ticks -lt $((lifetime * 5)) ]; do
            sleep 0.2; ticks=$((ticks + 1))
        done
        kill -TERM $daemon 2>/dev/null
        wait $daemon
        """

    /// Starts a daemon on a free port and waits until it accepts connections: at most
    /// `attempts` tries 100 ms apart (attempts, not wall clock: see `ServerProcess.waitUntilAnswering`).
    /// A port taken between choosing and binding it is retried on another.
    public init(label: String = "git-daemon", attempts: Int = 300, lifetime: Int = Int(ProcessDeadline.seconds) * 4) throws {
        base = try TempDirectory(label: label)
        var lastError = ""
        for _ in 0..<3 {
            let port = try AgentMailServer.freePort()
            let server = try ServerProcess(
                executable: "/bin/bash",
                arguments: ["-c", Self.wrapper, "git-daemon-wrapper", String(lifetime), "--reuseaddr", "--base-path=\(base.path)",
                            "--export-all", "--enable=receive-pack", "--listen=127.0.0.1", "--port=\(port)",
                            "--informative-errors", "--timeout=120", base.path],
                environment: Shell.gitEnvironment, directory: base.path, logPath: base.path + "/daemon.log")
            if Self.waitUntilAccepting(port: port, process: server.process, attempts: attempts) {
                self.port = port
                self.server = server
                return
            }
            lastError = server.logTail()
            Self.stop(server)
        }
        throw AgentMailServer.StartError(description: "git daemon did not start; log:\n\(lastError)")
    }

    deinit { stop() }

    /// git://127.0.0.1:<port>/<name>
    public func url(for name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    /// The directory of repository `name` under the base path.
    public func path(for name: String) -> String { base.path + "/" + name }

    /// Creates an empty bare repository `name` (initial branch main); returns its path.
    @discardableResult
    public func createBare(_ name: String) throws -> String {
        let path = path(for: name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Shell.git(["init", "-q", "--bare", "-b", "main"], cwd: path)
        return path
    }

    /// SIGTERM to the wrapper (which stops the daemon), then SIGKILL to both after 2 s. Harmless twice.
    public func stop() { Self.stop(server) }

    public func logTail() -> String { server.logTail() }

    private static func stop(_ server: ServerProcess) {
        let process = server.process
        if process.isRunning {
            let family = ProcessDeadline.descendants(of: process.processIdentifier)
            process.terminate()
            if !ProcessDeadline.wait(for: process, seconds: 2) { for pid in family { kill(pid, SIGKILL) } }
        }
        server.stop()
    }

    /// Polls a TCP connect to 127.0.0.1:`port`; false when the process exits or the attempts run out.
    private static func waitUntilAccepting(port: Int, process: Process, attempts: Int) -> Bool {
        for _ in 0..<max(1, attempts) {
            guard process.isRunning else { return false }
            if canConnect(port: port) { return true }
            usleep(100_000)
        }
        return false
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func canConnect(port: Int) -> Bool {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
