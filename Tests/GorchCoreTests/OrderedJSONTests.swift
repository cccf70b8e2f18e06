import Foundation
@testable import GorchCore
import Testing

/// OrderedJSON, the reader and writer behind the `.claude/settings.json` merge: what it reads,
/// Foundation reads alike; what it writes, Foundation reads back to the same value.
@Suite("OrderedJSON", .timeLimit(.minutes(20)))
struct OrderedJSONTests {
    @Test("keys keep their order, numbers their text, strings their escapes decoded", arguments: [
        #"{"z": 1, "a": [true, false, null], "m": {"k": -0.5e+3}}"#,
        #"{"s": "tab\tquote\"slash\/back\\ \u00e9 \ud83d\ude00 \u0001"}"#,
        #"  [ ]  "#,
        #"{"dup": 1, "dup": 2}"#,
    ])
    func roundTrips(text: String) throws {
        let parsed = try OrderedJSON.parse(text)
        let rendered = parsed.rendered
        #expect(try OrderedJSON.parse(rendered) == parsed, "\(rendered)")
        // Foundation agrees on the value (it keeps the last of a repeated key).
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? NSObject
        let ours = try JSONSerialization.jsonObject(with: Data(rendered.utf8), options: .fragmentsAllowed) as? NSObject
        #expect(theirs != nil && theirs == ours, "\(rendered)")
    }

    @Test("rendering: two-space indent, empty containers inline, control characters escaped, final newline")
    func rendering() throws {
        let value = try OrderedJSON.parse(#"{"b":[],"a":{},"c":[1,"x\u0007"],"n":1.50}"#)
        #expect(value.rendered == "{\n  \"b\": [],\n  \"a\": {},\n  \"c\": [\n    1,\n    \"x\\u0007\"\n  ],\n  \"n\": 1.50\n}\n")
    }

    @Test("text that is not JSON is refused with its line and column", arguments: [
        ("{\"a\": 1,}", 1, 9),
        ("{\n  \"a\": tru\n}", 2, 8),
        ("{\"a\": 01}", 1, 8),
        ("{\"a\": \"x\ny\"}", 1, 9),
        ("{\"a\": \"\\q\"}", 1, 9),
        ("{\"a\": 1} x", 1, 10),
        ("[1, 2", 1, 6),
        ("", 1, 1),
    ])
    func refusesMalformed(text: String, line: Int, column: Int) {
        #expect {
            try OrderedJSON.parse(text)
        } throws: { error in
            guard let error = error as? OrderedJSON.ParseError else { return false }
            return error.line == line && error.column == column
        }
    }

    @Test("nesting deeper than 512 levels is refused, not a stack overflow")
    func boundsDepth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: OrderedJSON.ParseError.self) { try OrderedJSON.parse(deep) }
    }
}
