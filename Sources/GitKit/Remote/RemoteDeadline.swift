/// When a remote operation must give up. Checked in every callback libgit2 makes; a callback
/// past the deadline returns GIT_EUSER, which makes libgit2 abort the operation.
final class RemoteDeadline {
    private let instant: ContinuousClock.Instant
    let timeout: Duration
    /// Tests only: the deadline passes at this many checks, whatever the clock says, so that
    /// cancelling mid-transfer can be checked without racing a real clock.
    private var checksLeft: Int?

    init(timeout: Duration) {
        self.timeout = timeout
        instant = ContinuousClock.now.advanced(by: timeout)
    }

    init(expiringAfterChecks checks: Int) {
        timeout = .zero
        instant = ContinuousClock.now.advanced(by: .seconds(3600))
        checksLeft = checks
    }

    /// The number of checks made so far (tests: how many callbacks an operation made).
    private(set) var checks = 0

    var hasPassed: Bool {
        checks += 1
        if let left = checksLeft {
            checksLeft = left - 1
            if left <= 0 { return true }
        }
        return ContinuousClock.now >= instant
    }
}
