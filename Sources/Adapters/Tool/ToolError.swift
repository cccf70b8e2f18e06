import Foundation

/// A tool that could not run, did not finish, failed, or printed something gorch cannot read.
/// `message` names the command and the cause; `hint` names the fix.
public struct ToolError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not on PATH (or the given path is not an executable file).
        case notFound
        /// Stopped after its timeout (the process group got SIGTERM, then SIGKILL).
        case timedOut
        /// Exited non-zero; -1 when it could not be started at all (working directory missing,
        /// spawn failure).
        case failed(exitCode: Int32)
        /// Exited 0 but its stdout is not the JSON expected.
        case undecodable
        /// The calling task was cancelled (the process group was stopped first).
        case cancelled
    }

    public let kind: Kind
    /// The tool as invoked: `bd`, or a path.
    public let tool: String
    /// The whole command, shell-quoted, for messages.
    public let commandLine: String
    public let message: String
    public let hint: String
    /// The tail of the tool's stderr ("" when it never ran).
    public let stderr: String

    public init(kind: Kind, tool: String, commandLine: String, message: String, hint: String, stderr: String = "") {
        self.kind = kind
        self.tool = tool
        self.commandLine = commandLine
        self.message = message
        self.hint = hint
        self.stderr = stderr
    }

    public var description: String { hint.isEmpty ? message : "\(message); \(hint)" }
}

extension ToolError {
    /// Where to get the tools gorch knows; anything else gets a generic hint.
    static func installHint(_ tool: String) -> String {
        switch (tool as NSString).lastPathComponent {
        case "bd": "install Beads (https://github.com/steveyegge/beads) or put `bd` on PATH"
        case "bv": "install beads_viewer (https://github.com/Dicklesworthstone/beads_viewer) or put `bv` on PATH"
        case "openspec": "install OpenSpec (`npm install -g @fission-ai/openspec`) or put `openspec` on PATH"
        default: "install \(tool) or put it on PATH"
        }
    }

    /// The last `limit` characters of a tool's stderr, trimmed, for one-line messages.
    static func tail(_ text: String, limit: Int = 600) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > limit else { return trimmed }
        return "…" + trimmed.suffix(limit)
    }

    /// The first `limit` bytes of an output, as text (invalid UTF-8 replaced), for messages.
    static func head(_ data: Data, limit: Int = 200) -> String {
        let text = String(decoding: data.prefix(limit), as: UTF8.self)
        return data.count > limit ? text + "…" : text
    }
}
