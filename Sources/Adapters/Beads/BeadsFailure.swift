import Foundation

/// bd's and br's failures, by era (contracts-update.md sections 1-2):
/// - bd <= 1.2: one or more `{"error","code"?}` objects on stderr, exit 1;
/// - bd >= 1.3: the same objects (with `hint`, `schema_version`) on stdout or on stderr
///   depending on the code path, typed refusals `{"code","error","mutates","reason"}` on stdout,
///   exit 14 and `⛔ workspace is frozen for migration` under a migration freeze;
/// - br: `{"error":{"code","message","hint","retryable","context"}}` on stdout, exit codes by kind
///   (3 issue, 4 validation, ...);
/// - without JSON: `Error: ...` lines.
/// Both streams are read whatever the era: the placement is not the same on every path.
enum BeadsFailure {
    struct Message: Equatable {
        var error: String
        var code: String?
    }

    static let freezeExitCode: Int32 = 14

    /// The error for a failed call: a `BeadsError` gorch acts on, else a `ToolError` with bd's words.
    static func error(_ invocation: ToolInvocation, _ output: ToolOutput, ids: [String]) -> any Error {
        if isFrozen(output) { return BeadsError.frozen(command: invocation.commandLine) }
        let messages = messages(in: output)
        for message in messages {
            if let holder = after("already claimed by ", in: message.error) ?? after("already assigned to ", in: message.error) {
                return BeadsError.alreadyClaimed(by: holder)
            }
            if let status = after("not claimable: status ", in: message.error) {
                return BeadsError.notClaimable(status: status)
            }
            if message.code == "not_found" || message.code == "ISSUE_NOT_FOUND" || message.error.contains("no issue found")
                || message.error.contains("issue not found") {
                return BeadsError.notFound(quoted(in: message.error) ?? ids.first ?? message.error)
            }
            if let code = message.code, code.hasPrefix("proxy.") {
                return BeadsError.refused(code: code, message: message.error)
            }
        }
        let reason = messages.isEmpty ? nil : messages.map(\.error).joined(separator: "; ")
        return ToolRunner.failed(invocation, output, reason: reason)
    }

    /// A close that failed only because the issue was closed already (bd <= 1.2 exits 1 for it;
    /// bd >= 1.3 and br count it as success).
    static func isAlreadyClosed(_ output: ToolOutput) -> Bool {
        let messages = messages(in: output)
        return !messages.isEmpty && messages.allSatisfy { $0.code == "already_closed" || $0.error.contains("already closed") }
    }

    /// A write refused under bd >= 1.3's migration freeze (exit 14, a text line on stderr).
    static func isFrozen(_ output: ToolOutput) -> Bool {
        output.exitCode == freezeExitCode || output.stderr.contains("frozen for migration")
    }

    /// The error messages of a failed call, stdout's first: where they go depends on the era and the path.
    static func messages(in output: ToolOutput) -> [Message] {
        parse(String(decoding: output.stdout, as: UTF8.self)) + parse(output.stderr)
    }

    /// Every JSON object with an `error` (a text, or br's `{code,message}` object) in the text;
    /// else the `Error: ...` lines. bd pretty-prints one object per failed id.
    static func parse(_ text: String) -> [Message] {
        var found: [Message] = []
        for object in jsonObjects(in: text) {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(object.utf8)) as? [String: Any] else { continue }
            if let error = parsed["error"] as? String {
                found.append(Message(error: error, code: parsed["code"] as? String))
            } else if let nested = parsed["error"] as? [String: Any], let message = nested["message"] as? String {
                found.append(Message(error: message, code: nested["code"] as? String))
            }
        }
        if !found.isEmpty { return found }
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix("Error: ") ? Message(error: String(line.dropFirst(7)), code: nil) : nil
        }
    }

    /// Balanced `{...}` spans, skipping braces inside strings.
    static func jsonObjects(in text: String) -> [String] {
        var objects: [String] = []
        var depth = 0, inString = false, escaped = false
        var start: String.Index?
        for index in text.indices {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"" where depth > 0: inString = true
            case "{":
                if depth == 0 { start = index }
                depth += 1
            case "}" where depth > 0:
                depth -= 1
                if depth == 0, let begin = start { objects.append(String(text[begin...index])) }
            default: break
            }
        }
        return objects
    }

    /// `X` out of `... already claimed by X` (up to the end of the line, quotes and a final dot off).
    private static func after(_ marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...].prefix(while: { $0 != "\n" })
        let trimmed = rest.trimmingCharacters(in: CharacterSet(charactersIn: " .\"'`"))
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The first `'...'` or `"..."` in the text (bd quotes the id it did not find).
    private static func quoted(in text: String) -> String? {
        for quote in ["'", "\""] {
            let parts = text.components(separatedBy: quote)
            if parts.count >= 3, !parts[1].isEmpty { return parts[1] }
        }
        return nil
    }
}
