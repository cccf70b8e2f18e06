import ArgumentParser
import Foundation
import GitKit

/// Runs gorch with its own exit codes: argument-parser exits 64 on usage errors, gorch exits 2;
/// every other failure becomes an `ErrorReport` (stderr, or the JSON error document).
@main
enum Entrypoint {
    static func main() async {
        LibGit2.startInBackground()
        let command: any ParsableCommand
        do {
            command = try await Gorch.asyncParseAsRoot()
        } catch {
            finish(after: error, json: argumentsAskForJSON)
        }
        do {
            var runnable = command
            if var asyncCommand = runnable as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try runnable.run()
            }
        } catch {
            finish(after: error, json: (command as? any GorchCommand)?.wantsJSON ?? argumentsAskForJSON)
        }
        Foundation.exit(0)
    }

    private static func finish(after error: any Error, json: Bool) -> Never {
        // Help and version requests are errors whose exit code is 0 (`--help` even reaches us
        // from the run of argument-parser's own help command); argument-parser prints them.
        if error is CleanExit || Gorch.exitCode(for: error) == .success { Gorch.exit(withError: error) }
        // A command that throws ExitCode has already said what it had to say.
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        let report = ErrorReport(error)
        report.write(json: json)
        Foundation.exit(report.exitCode)
    }

    /// Whether JSON output was asked for, read from the raw arguments because parsing failed
    /// (or did not get that far). `--stdin` always answers in JSON, so it counts too.
    private static var argumentsAskForJSON: Bool {
        CommandLine.arguments.dropFirst().prefix { $0 != "--" }.contains { $0 == "--json" || $0 == "--stdin" }
    }
}
