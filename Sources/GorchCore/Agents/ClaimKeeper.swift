import Adapters
import Foundation

/// Keeps a running agent's tracker claim alive (bd >= 1.3: `bd heartbeat` every
/// `gorch.beads.heartbeat`), from the agent's watcher. It stops asking when the store has no
/// lease to renew, and when the claim is lost, which it remembers for the agent's outcome. The
/// watcher is cancelled on every way out of the agent (exit, timeout, Ctrl-C, a thrown error),
/// and with it the heartbeats: nothing keeps a claim alive for an agent that has stopped.
actor ClaimKeeper {
    private let store: any TaskStore
    private let id: TaskID
    private let interval: Duration
    private var active = true
    private var last: ContinuousClock.Instant?
    /// Why the claim was lost (bd's words), once it was.
    private(set) var lost: String?

    init(store: any TaskStore, id: TaskID, interval: Duration) {
        self.store = store
        self.id = id
        self.interval = interval
    }

    /// The first renewal, before the agent starts: returns why the claim is gone when it is
    /// (and forgets it, so that a claim taken again is kept alive from here on).
    func renewBeforeTheAgent() async -> String? {
        await tick()
        guard let reason = lost else { return nil }
        lost = nil
        active = true
        last = nil
        return reason
    }

    /// Renews the claim when the interval has passed since the last renewal (at once the first
    /// time: a claim that expired before the agent started is found out now).
    func tick() async {
        guard active else { return }
        let now = ContinuousClock.now
        if let last, last.duration(to: now) < interval { return }
        last = now
        do {
            active = try await store.keepClaimAlive(id)
        } catch BeadsError.claimLost(_, let reason) {
            lost = reason
            active = false
        } catch {
            // A freeze, a timeout, a busy database: the lease outlives a few missed beats.
        }
    }
}
