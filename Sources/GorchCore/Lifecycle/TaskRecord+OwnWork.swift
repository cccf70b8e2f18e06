import GitKit

extension TaskRecord {
    /// Whether a branch at `tip` holds work of the task's own: a tip at the task's base has none,
    /// and neither has a started task with no recorded base (its branch was only just made). A
    /// branch without own work is contained in the target too, but it is not merged work.
    func hasOwnCommits(at tip: OID) -> Bool {
        let base = self.base.flatMap { OID(hex: $0) }
        return !(tip == base || (base == nil && state == .started))
    }
}
