import Testing
@testable import GitKit

/// The engine's caches forget everything at once when an insert would pass the bound.
@Suite(.timeLimit(.minutes(20))) struct BoundedMapTests {
    @Test func clearsWhenTheNextEntryWouldPassTheBound() {
        var map = BoundedMap<Int, String>(limit: 3)
        for key in 0..<3 { map.insert("\(key)", for: key) }
        #expect((0..<3).allSatisfy { map[$0] != nil })
        map.insert("3", for: 3)
        #expect(map[3] == "3")
        #expect((0..<3).allSatisfy { map[$0] == nil })
    }

    @Test func keepsTheFirstValueOfAKey() {
        var map = BoundedMap<Int, String>(limit: 2)
        #expect(map.insert("first", for: 1) == "first")
        #expect(map.insert("second", for: 1) == "first")
        map.insert("other", for: 2)   // two entries: the repeated key did not count twice
        #expect(map[1] == "first" && map[2] == "other")
    }

    @Test func boundsByCost() {
        var map = BoundedMap<Int, [UInt8]>(limit: 10)
        map.insert([UInt8](repeating: 0, count: 6), for: 1, cost: 6)
        map.insert([UInt8](repeating: 0, count: 4), for: 2, cost: 4)
        #expect(map[1] != nil && map[2] != nil)
        map.insert([1], for: 3, cost: 1)
        #expect(map[1] == nil && map[2] == nil && map[3] == [1])
    }
}
