import Foundation
import GorchTestSupport
import Testing

/// The `gorch` executable under test: the one SwiftPM built next to this test bundle.
///
/// Swift Testing has no `Bundle(for:)`; the test process's own path (the xctest runner on Linux,
/// the bundle named by `--test-bundle-path` under swiftpm-testing-helper on macOS) sits in the
/// build products directory, so each candidate is walked up a few levels looking for `gorch`.
/// `GORCH_BINARY` overrides the search.
enum GorchBinary {
    static let path: String? = locate()

    private static func locate() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["GORCH_BINARY"], !override.isEmpty { return override }
        let arguments = ProcessInfo.processInfo.arguments
        var starts = [arguments.first, Bundle.main.executablePath, Bundle.main.bundlePath].compactMap { $0 }
        if let flag = arguments.firstIndex(of: "--test-bundle-path"), flag + 1 < arguments.count {
            starts.append(arguments[flag + 1])
        }
        for start in starts {
            var directory = URL(fileURLWithPath: start).standardizedFileURL.deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = directory.appendingPathComponent("gorch").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }
}

/// Runs gorch with the tests' isolated git environment (no user config, fixed identity) and
/// NO_COLOR, so output is byte-stable whatever the machine. Every `--json` document it prints
/// is checked against its JSON Schema in docs/schema (a failed check is a test issue), so each
/// test that reads JSON also tests the documented shape.
@discardableResult
func runGorch(_ arguments: [String], cwd: String? = nil, stdin: String? = nil, environment: [String: String] = [:],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> ShellResult {
    let binary = try #require(GorchBinary.path, "gorch executable not found next to the test bundle; build it or set GORCH_BINARY")
    let result = try Shell.run(binary, arguments, cwd: cwd, env: gorchEnvironment.merging(environment) { $1 }, stdin: stdin)
    expectSchema(result, arguments: arguments, sourceLocation: sourceLocation)
    return result
}

/// The schema (docs/schema/<name>.json) of what `gorch arguments` prints under --json; nil
/// without --json or for a command that prints no document (`hook`).
func jsonSchemaName(for arguments: [String]) -> String? {
    let words = arguments.prefix { $0 != "--" }
    guard words.contains("--json") else { return nil }
    var positional: [String] = []
    var skipValue = false
    for word in words {
        if skipValue { skipValue = false; continue }
        if word == "--repo" || word == "--target" { skipValue = true; continue }
        if !word.hasPrefix("-") { positional.append(word) }
    }
    guard let command = positional.first else { return nil }
    switch command {
    case "merge": return words.contains("--abort") ? "merge-abort" : "merge"
    case "conflicts": return words.contains("--stdin") ? "conflicts-stdin" : "conflicts"
    case "hooks": return positional.dropFirst().first == "status" ? "hooks-status" : "hooks"
    case "hook", "help": return nil
    default: return command
    }
}

/// Checks each complete stdout line of a --json run against its schema: `error.json` for the
/// error document, else the command's own.
func expectSchema(_ result: ShellResult, arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    guard let schema = jsonSchemaName(for: arguments) else { return }
    // A line cut short (a process killed mid-write by a fault test) has no newline yet.
    for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() where !line.isEmpty {
        let isError = line.hasPrefix(#"{"error":{"#)
        let verdict = SchemaValidator.shared.check(String(line), schema: isError ? "error" : schema)
        #expect(verdict == "ok", "gorch \(arguments.joined(separator: " ")): output does not match docs/schema/\(isError ? "error" : schema).json: \(verdict)\n\(line.prefix(2000))",
                sourceLocation: sourceLocation)
    }
}

let gorchEnvironment: [String: String] = Shell.gitEnvironment.merging(["NO_COLOR": "1"]) { $1 }

/// Parses stdout as exactly one JSON object.
func jsonDocument(_ result: ShellResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: true)
    #expect(lines.count == 1, "expected one JSON document on stdout, got: \(result.stdout)", sourceLocation: sourceLocation)
    return try jsonObject(String(lines.first ?? ""), sourceLocation: sourceLocation)
}

func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    return try #require(value as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
}

/// The `{"error":{...}}` document's inner object.
func errorObject(_ result: ShellResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let document = try jsonDocument(result, sourceLocation: sourceLocation)
    #expect(Array(document.keys) == ["error"], sourceLocation: sourceLocation)
    return try #require(document["error"] as? [String: Any], sourceLocation: sourceLocation)
}

/// The key order of one prediction object, as documented on `ConflictResultJSON`.
let resultKeys = ["target", "branch", "verdict", "conflicts", "tree", "bases", "error"]

/// Whether `keys` appear in `text` in this order (first occurrence of each `"key":`). JSON
/// parsers forget key order, so this looks at the raw text; nested objects only ever come after
/// the top-level key that holds them, so first occurrences are the top-level ones.
func keysAppearInOrder(_ keys: [String], in text: String) -> Bool {
    var positions: [String.Index] = []
    for key in keys {
        guard let range = text.range(of: "\"\(key)\":") else { return false }
        positions.append(range.lowerBound)
    }
    return positions == positions.sorted()
}

func isNull(_ value: Any?) -> Bool { value is NSNull }
