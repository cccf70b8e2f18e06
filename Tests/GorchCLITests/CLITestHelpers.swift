import Foundation
import GorchTestSupport
import Testing

/// The `gorch` executable under test: always the one SwiftPM built from this checkout, in the
/// same products directory as this test bundle (`.build/<triple>/<configuration>/`), never
/// another gorch found on PATH or further up the tree. There is no override. A run that cannot
/// find that binary, or finds it older than an object file of the modules it links (a build
/// that compiled them but did not relink gorch, e.g. `swift build --target GorchCore`), fails
/// with `problem`. Objects rather than sources are compared: a touched but unchanged source
/// is recompiled to the same object without relinking, and must not count as stale.
///
/// Swift Testing has no `Bundle(for:)`; the test process's own path (the xctest runner on Linux,
/// the bundle named by `--test-bundle-path` under swiftpm-testing-helper on macOS) names the
/// `*.xctest` bundle, whose folder is the products directory.
enum GorchBinary {
    static let located: Result<String, Problem> = locate()
    static var path: String? { try? located.get() }
    static var problem: String {
        if case .failure(let problem) = located { return problem.description }
        return "none"
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// The modules linked into gorch, whose objects it must be newer than.
    private static let modules = ["gorch", "GorchCore", "GitKit", "Adapters", "CXDiff"]

    private static func locate() -> Result<String, Problem> {
        let arguments = ProcessInfo.processInfo.arguments
        var starts = [arguments.first, Bundle.main.executablePath, Bundle.main.bundlePath].compactMap { $0 }
        if let flag = arguments.firstIndex(of: "--test-bundle-path"), flag + 1 < arguments.count {
            starts.insert(arguments[flag + 1], at: 0)
        }
        let bundles = starts.compactMap { start -> URL? in
            var url = URL(fileURLWithPath: start).standardizedFileURL
            while url.path != "/" && !url.path.isEmpty {
                if url.lastPathComponent.hasSuffix(".xctest") { return url }
                url.deleteLastPathComponent()
            }
            return nil
        }
        guard let products = bundles.first?.deletingLastPathComponent() else {
            return .failure(Problem(description: "no .xctest bundle in the test process's paths \(starts): cannot tell which build this is"))
        }
        let binary = products.appendingPathComponent("gorch").path
        guard FileManager.default.isExecutableFile(atPath: binary), let linked = modified(binary) else {
            return .failure(Problem(description: "\(binary) does not exist: build gorch (`swift build`, or `swift test` without --skip-build)"))
        }
        for module in modules {
            let folder = products.appendingPathComponent("\(module).build").path
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".o") {
                if let compiled = modified(folder + "/" + name), compiled > linked {
                    return .failure(Problem(description: "\(binary) is older than \(folder)/\(name): relink it (`swift build`) so the tests drive this checkout's gorch"))
                }
            }
        }
        return .success(binary)
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

/// Runs gorch with the tests' isolated git environment (no user config, fixed identity) and
/// NO_COLOR, so output is byte-stable whatever the machine. Every `--json` document it prints
/// is checked against its JSON Schema in docs/schema (a failed check is a test issue), so each
/// test that reads JSON also tests the documented shape.
@discardableResult
func runGorch(_ arguments: [String], cwd: String? = nil, stdin: String? = nil, environment: [String: String] = [:],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> ShellResult {
    let binary = try #require(GorchBinary.path, "\(GorchBinary.problem)")
    let result = try Shell.run(binary, arguments, cwd: cwd, env: gorchEnvironment.merging(environment) { $1 }, stdin: stdin)
    expectSchema(result, arguments: arguments, sourceLocation: sourceLocation)
    return result
}

/// The schema (docs/schema/<name>.json) of what `gorch arguments` prints under --json; nil
/// without --json or for a command that prints no document (`hook`, `claude-hook`).
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
    // Claude Code reads claude-hook's stdout (a worktree path), so it prints no document.
    case "hook", "claude-hook", "help": return nil
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
