import Foundation
@testable import GorchCore
import Testing

/// The train's bisection on its own (no git): every culprit position of every train size is
/// found, the passing prefix before it is what lands, and the number of validations and rounds
/// stays within DESIGN.md's bounds.
@Suite(.timeLimit(.minutes(20)))
struct BisectionTests {
    /// Runs the search against "a prefix fails iff it holds a task from `culprits`"; returns the
    /// bisection, validations and rounds.
    private func search(count: Int, culprits: Set<Int>, lanes: Int) -> (Bisection, Int, Int) {
        var bisection = Bisection(count: count)
        var validations = 0
        var rounds = 0
        while !bisection.isDone {
            let points = bisection.nextRound(lanes: lanes)
            #expect(!points.isEmpty && points.count <= lanes, "n=\(count) lanes=\(lanes): round \(points)")
            if points.isEmpty { break }
            rounds += 1
            for prefix in points {
                validations += 1
                bisection.record(prefix, passed: !culprits.contains { $0 <= prefix })
            }
        }
        return (bisection, validations, rounds)
    }

    @Test("one culprit anywhere in trains of 1 to 40, one to four lanes: found, prefix lands, bounds hold")
    func oneCulprit() {
        for count in 1...40 {
            let log2 = Int((Double(count)).log2Ceiling)
            for lanes in 1...4 {
                for culprit in 1...count {
                    let (bisection, validations, rounds) = search(count: count, culprits: [culprit], lanes: lanes)
                    #expect(bisection.culprit == culprit && bisection.landing == culprit - 1, "n=\(count) c=\(culprit) L=\(lanes)")
                    if lanes == 1 { #expect(validations <= 1 + log2, "n=\(count) c=\(culprit): \(validations) validations") }
                    #expect(rounds <= 1 + log2, "n=\(count) c=\(culprit) L=\(lanes): \(rounds) rounds")
                }
                let (clean, validations, _) = search(count: count, culprits: [], lanes: lanes)
                #expect(clean.culprit == nil && clean.landing == count)
                if lanes == 1 { #expect(validations == 1, "a passing train is one validation") }
            }
        }
    }

    @Test("two lanes need fewer rounds than one on average: 16 tasks, every culprit position")
    func lanesCutRounds() {
        let one = (1...16).map { search(count: 16, culprits: [$0], lanes: 1).2 }.reduce(0, +)
        let two = (1...16).map { search(count: 16, culprits: [$0], lanes: 2).2 }.reduce(0, +)
        #expect(two < one, "rounds: one lane \(one), two lanes \(two)")
    }

    @Test("several culprits: the first one is found")
    func severalCulprits() {
        for lanes in 1...3 {
            let (bisection, _, _) = search(count: 12, culprits: [4, 9], lanes: lanes)
            #expect(bisection.culprit == 4 && bisection.landing == 3)
        }
    }

    @Test("results that are not monotone: only a validated passing prefix below the first failure lands")
    func notMonotone() {
        var bisection = Bisection(count: 8)
        bisection.record(8, passed: true)   // the tip passed ...
        #expect(bisection.isDone && bisection.landing == 8)
        bisection = Bisection(count: 8)
        bisection.record(8, passed: false)
        bisection.record(4, passed: false)
        bisection.record(6, passed: true)   // a pass above a failure does not count
        #expect(bisection.landing == 0 && bisection.failing == 4)
        #expect(bisection.nextRound(lanes: 1) == [2])
        bisection.record(2, passed: true)
        bisection.record(3, passed: true)
        #expect(bisection.isDone && bisection.culprit == 4 && bisection.landing == 3)
    }
}

private extension Double {
    /// ceil(log2(self)) for self >= 1.
    var log2Ceiling: Double { Foundation.ceil(Foundation.log2(self)) }
}
