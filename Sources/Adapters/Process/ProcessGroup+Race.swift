extension ProcessGroup {
    /// How a timed, cancellable run ended.
    struct RaceResult<Value: Sendable>: Sendable {
        var value: Value?
        var error: (any Error)?
        var timedOut = false
        var wasCancelled = false
    }

    private enum Race<Value: Sendable>: Sendable {
        case finished(Value)
        case failed(any Error)
        case timeUp
        case timerStopped
    }

    /// Races `run` (which spawns a process in this group) against `timeout`. Whichever loses is
    /// cancelled: a cancelled run makes swift-subprocess send SIGTERM to the group, wait up to the
    /// grace period, then SIGKILL it; a caller's cancellation reaches the run the same way. Members
    /// that outlive the group leader are killed before returning.
    func race<Value: Sendable>(timeout: Duration?, _ run: @escaping @Sendable () async throws -> Value) async -> RaceResult<Value> {
        var result = RaceResult<Value>()
        await withTaskCancellationHandler {
            await withTaskGroup(of: Race<Value>.self) { race in
                race.addTask {
                    do {
                        return .finished(try await run())
                    } catch {
                        return .failed(error)
                    }
                }
                if let timeout {
                    race.addTask {
                        do {
                            try await Task.sleep(for: timeout)
                            return .timeUp
                        } catch {
                            return .timerStopped
                        }
                    }
                }
                for await outcome in race {
                    switch outcome {
                    case .finished(let value):
                        result.value = value
                        race.cancelAll()
                    case .failed(let error):
                        result.error = error
                        race.cancelAll()
                    case .timeUp:
                        result.timedOut = true
                        markTerminating()
                        race.cancelAll()
                    case .timerStopped:
                        break
                    }
                }
            }
        } onCancel: {
            markTerminating()
        }
        result.wasCancelled = Task.isCancelled
        if let termSentAt = terminatingSince {
            await killStragglers(termSentAt: termSentAt)
        }
        return result
    }
}
