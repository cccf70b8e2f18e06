import Foundation

/// Runs blocking work (a child process waited for, a whole CLI flow) on a thread of its own, so
/// an async test does not hold one of the cooperative pool's few threads (two on a 2-core
/// machine) while it waits: other tests' timers and readiness polls would stall behind it.
public func offPool<Output: Sendable>(_ work: @escaping @Sendable () throws -> Output) async throws -> Output {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
