import Foundation

/// bd's failures: with `--json` one or more `{"error": "...", "code": "..."}` objects on stderr
/// and exit 1 (cmd/bd/output.go); without, `Error: ...` lines.
enum BeadsFailure {
    struct Message: Equatable {
        var error: String
        var code: String?
    }

    /// The error for a failed call: a `BeadsError` gorch acts on, else a `ToolError` with bd's words.
    static func error(_ invocation: ToolInvocation, _ output: ToolOutput, ids: [String]) -> any Error {
        let messages = parse(output.stderr)
        for message in messages {
            if let holder = after("already claimed by ", in: message.error) {
                return BeadsError.alreadyClaimed(by: holder)
            }
            if let status = after("not claimable: status ", in: message.error) {
                return BeadsError.notClaimable(status: status)
            }
            if message.code == "not_found" || message.error.contains("no issue found") {
                return BeadsError.notFound(quoted(in: message.error) ?? ids.first ?? message.error)
            }
        }
        let reason = messages.isEmpty ? nil : messages.map(\.error).joined(separator: "; ")
        return ToolRunner.failed(invocation, output, reason: reason)
    }

    static func isAlreadyClosed(_ stderr: String) -> Bool {
        let messages = parse(stderr)
        return !messages.isEmpty && messages.allSatisfy { $0.code == "already_closed" || $0.error.contains("already closed") }
    }

    /// Every JSON object with an `error` key in the text (bd pretty-prints them, one per failed
    /// id); else the `Error: ...` lines.
    static func parse(_ stderr: String) -> [Message] {
        var found: [Message] = []
        for object in jsonObjects(in: stderr) {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(object.utf8)) as? [String: Any],
                  let error = parsed["error"] as? String else { continue }
            found.append(Message(error: error, code: parsed["code"] as? String))
        }
        if !found.isEmpty { return found }
        return stderr.split(separator: "\n").compactMap { line in
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
