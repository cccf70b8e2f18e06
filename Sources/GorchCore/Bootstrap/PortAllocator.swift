import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stable TCP ports per task (`GORCH_PORT`), persisted in `.git/gorch/ports.json` as
/// `{"<task>": port}` and changed only under the flock `.git/gorch/ports.lock`, so concurrent
/// starts never share a port. A task keeps its port until `release` (merge or cleanup): asking
/// again, even after its worktree was deleted and recreated, returns the same one. A new port is
/// the first from `gorch.portBase` (default 41000) upward that no task holds and that nothing
/// listens on at 127.0.0.1 (a bind test).
struct PortAllocator {
    let workspace: Workspace

    /// The validation worktree's key: not a valid task id (it starts with '.'), so never a task's.
    static let validationKey = ".validate"
    /// Lane n > 1 of the merge train's validation worktrees: its own port.
    static func validationKey(lane: Int) -> String { lane <= 1 ? validationKey : "\(validationKey)-\(lane)" }

    var file: String { (workspace.paths.root as NSString).appendingPathComponent("ports.json") }
    var lockFile: String { (workspace.paths.root as NSString).appendingPathComponent("ports.lock") }

    func port(forKey key: String) throws -> Int {
        try FileLock.withLock(at: lockFile, waitingUpTo: 60, what: "the port table") {
            var table = try read()
            if let port = table[key] { return port }
            let base = workspace.settings.portBase
            let held = Set(table.values)
            var candidate = base
            while candidate <= 65535 {
                if !held.contains(candidate) && Self.isFree(candidate) {
                    table[key] = candidate
                    try write(table)
                    return candidate
                }
                candidate += 1
            }
            throw GorchFailure(.environment, "no free TCP port from gorch.portBase \(base) up to 65535",
                               hint: "set a lower base (`git config gorch.portBase 41000`) or free ports with `gorch cleanup --merged`")
        }
    }

    func release(key: String) throws {
        try FileLock.withLock(at: lockFile, waitingUpTo: 60, what: "the port table") {
            var table = try read()
            guard table.removeValue(forKey: key) != nil else { return }
            try write(table)
        }
    }

    /// The persisted table; a missing file is empty.
    func read() throws -> [String: Int] {
        guard let data = FileManager.default.contents(atPath: file) else { return [:] }
        if data.isEmpty { return [:] }
        do {
            return try JSONDecoder().decode([String: Int].self, from: data)
        } catch {
            throw GorchFailure(.environment, "\(file) is not a JSON object of task ports: \(error.localizedDescription)",
                               hint: "fix or delete it (tasks then get ports anew)")
        }
    }

    private func write(_ table: [String: Int]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(table) + Data("\n".utf8), to: file)
    }

    /// Whether a socket can bind 127.0.0.1:port, i.e. nothing listens there (SO_REUSEADDR, so a
    /// connection lingering in TIME_WAIT does not count as in use).
    static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return rc == 0
    }
}
