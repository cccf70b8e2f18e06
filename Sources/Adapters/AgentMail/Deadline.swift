import Foundation

/// `withDeadline` gave up waiting.
struct DeadlineExceeded: Error {}

/// Runs `operation` and returns its result, or throws `DeadlineExceeded` once `timeout` has
/// passed, without waiting for the operation to notice its cancellation (a request stuck inside
/// URLSession or awaiting a continuation does not). The operation is cancelled either way.
func withDeadline<Output: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Output
) async throws -> Output {
    let race = DeadlineRace<Output>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(
                continuation,
                work: Task { race.finish(with: await Result(catching: operation)) },
                timer: Task {
                    try? await Task.sleep(for: timeout)
                    race.finish(with: .failure(DeadlineExceeded()))
                }
            )
        }
    } onCancel: {
        race.finish(with: .failure(CancellationError()))
    }
}

/// The first of operation, timer and cancellation to finish resumes the caller; the rest are cancelled.
private final class DeadlineRace<Output: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Output, any Error>?
    private var outcome: Result<Output, any Error>?
    private var tasks: [Task<Void, Never>] = []

    func start(_ continuation: CheckedContinuation<Output, any Error>, work: Task<Void, Never>, timer: Task<Void, Never>) {
        lock.lock()
        if let outcome {
            lock.unlock()
            work.cancel()
            timer.cancel()
            continuation.resume(with: outcome)
            return
        }
        self.continuation = continuation
        tasks = [work, timer]
        lock.unlock()
    }

    func finish(with result: Result<Output, any Error>) {
        lock.lock()
        guard outcome == nil else {
            lock.unlock()
            return
        }
        outcome = result
        let continuation = self.continuation
        self.continuation = nil
        let tasks = self.tasks
        self.tasks = []
        lock.unlock()
        for task in tasks { task.cancel() }
        continuation?.resume(with: result)
    }
}

extension Result where Failure == any Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
