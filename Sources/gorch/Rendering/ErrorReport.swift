import Adapters
import Foundation
import GitKit
import GorchCore

/// A failure as the user sees it: what kind it is, what happened, how to fix it, and the exit
/// code (DESIGN.md "Global options": 1 stopped, 2 usage, 3 environment).
///
/// Each error source has its own mapping in an extension (`+GitKit`, `+Core`, `+Usage`); this
/// file only dispatches and renders.
struct ErrorReport: Error {
    enum Kind: String {
        /// The command line is wrong.
        case usage
        /// The world is not as needed: no repository, unknown target, a lock held.
        case environment
        /// gorch stopped on purpose: a person has to act.
        case stopped
        /// A bug or an unexpected failure.
        case `internal`
    }

    var kind: Kind
    var message: String
    var hint: String?

    var exitCode: Int32 {
        switch kind {
        case .usage: 2
        case .stopped: 1
        // An internal failure is not "stopped" (1 means a person must resolve something, and for
        // `conflicts` that a conflict was found); 3 says the job could not be done.
        case .environment, .internal: 3
        }
    }

    init(kind: Kind, message: String, hint: String?) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    /// Maps any error a command throws: the one place where an error becomes what a person
    /// reads and an exit code. Every public error type of GitKit, Adapters and GorchCore has a
    /// case here (ErrorWordingTests fails on one without); "a bug in gorch" is left for what
    /// no layer throws on purpose.
    init(_ error: any Error) {
        switch error {
        case let report as ErrorReport: self = report
        case let error as GorchError: self.init(core: error)
        case let error as GorchFailure: self.init(failure: error)
        case let error as ResolveRulesError: self.init(resolveRules: error)
        case let error as AgentPresetError: self.init(agentPreset: error)
        case let error as PredictionError: self.init(prediction: error)
        case let error as ToolError: self.init(tool: error)
        case let error as BeadsError: self.init(beads: error)
        case let error as AgentMailError: self.init(agentMail: error)
        case let error as ShellCommandError: self.init(shell: error)
        case let error as GitError: self.init(git: error)
        case let error as RemoteError: self.init(remote: error)
        case let error as OrtError: self.init(ort: error)
        case is CancellationError: self.init(kind: .stopped, message: "interrupted", hint: "run the command again to go on")
        case let error as CocoaError: self.init(file: error)
        default:
            if let usage = ErrorReport(usage: error) {
                self = usage
            } else {
                self.init(kind: .internal, message: "unexpected failure: \(error)",
                          hint: "this is a bug in gorch; please report it with the command you ran")
            }
        }
    }

    /// Writes the report: the JSON error document on stdout, or `error:`/`hint:` lines on stderr.
    func write(json: Bool) {
        if json {
            Output.line(ErrorReport.encodeJSON(self))
        } else {
            Output.errorLine("error: \(message)")
            if let hint { Output.errorLine("hint: \(hint)") }
        }
    }

    /// The error document as one line. Falls back to a literal if encoding fails, so an error is
    /// never lost to another error.
    static func encodeJSON(_ report: ErrorReport) -> String {
        (try? OrderedJSONEncoder().encode(ErrorJSON(report)))
            ?? #"{"error":{"kind":"internal","message":"cannot encode the error report","hint":null}}"#
    }
}
