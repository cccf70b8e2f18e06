import Foundation
@testable import GorchCore
import Testing

/// Every fault point is killed at by a test and documented: adding a point without both fails here.
@Suite(.timeLimit(.minutes(20)))
struct FaultCatalogTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    @Test("each point appears in docs/RELIABILITY.md and in a fault-injection test")
    func everyPointTestedAndDocumented() throws {
        let docs = try Self.text("docs/RELIABILITY.md")
        let tests = try ["FaultInjectionMergeTests.swift", "FaultInjectionTrainTests.swift", "FaultInjectionLifecycleTests.swift"]
            .map { try Self.text("Tests/GorchCLITests/" + $0) }.joined()
        for point in Fault.Point.allCases {
            #expect(docs.contains("`\(point.rawValue)`"), "\(point.rawValue) is not documented in docs/RELIABILITY.md")
            #expect(tests.contains("\"\(point.rawValue)\"") || tests.contains("\"\(point.rawValue)@"),
                    "no test kills gorch at \(point.rawValue)")
        }
    }

    /// A release gorch must ignore GORCH_FAULT completely (scripts/soak checks the release binary).
    @Test("fault points are compiled into debug builds only (Package.swift: GORCH_FAULT_INJECTION)")
    func compiledIntoDebugBuildsOnly() {
        #if DEBUG
        #expect(Fault.isCompiledIn)
        #else
        #expect(!Fault.isCompiledIn)
        #endif
    }

    @Test("GORCH_FAULT parsing: names, @N visits, lists")
    func parsing() {
        #expect(Fault.parse("") == [:])
        #expect(Fault.parse("merge.marked") == ["merge.marked": 1])
        #expect(Fault.parse("merge.marked@2, start.claimed") == ["merge.marked": 2, "start.claimed": 1])
    }
}
