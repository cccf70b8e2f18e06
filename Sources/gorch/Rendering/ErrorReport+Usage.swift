import ArgumentParser
import Foundation

extension ErrorReport {
    /// Command-line errors from argument-parser (unknown options, failed `validate()`); nil for
    /// anything argument-parser does not consider a usage error.
    init?(usage error: any Error) {
        guard Gorch.exitCode(for: error) == .validationFailure else { return nil }
        self.init(kind: .usage, message: ErrorReport.usageMessage(for: error),
                  hint: "run `\(ErrorReport.helpCommand(for: error))` for usage")
    }

    /// argument-parser's message, starting lower-case like the rest of gorch's errors.
    private static func usageMessage(for error: any Error) -> String {
        var message = Gorch.message(for: error)
        if let first = message.first, first.isUppercase, message.dropFirst().first.map({ !$0.isUppercase }) ?? true {
            message = first.lowercased() + message.dropFirst()
        }
        return message + strayDashWord(after: message)
    }

    /// argument-parser drops a word such as `-rf` where a required id was expected and then
    /// only says the id is missing (`gorch start -rf`): name the word. gorch has no short
    /// options but -h.
    private static func strayDashWord(after message: String) -> String {
        guard message.hasPrefix("missing expected argument") else { return "" }
        let words = CommandLine.arguments.dropFirst().prefix { $0 != "--" }
        guard let stray = words.first(where: { $0.count > 1 && $0.hasPrefix("-") && !$0.hasPrefix("--") && $0 != "-h" }) else {
            return ""
        }
        return " ('\(stray)' is not an option, and a task id cannot start with '-')"
    }

    /// The help command argument-parser suggests ("See 'gorch conflicts --help' ..."), which
    /// names the subcommand that failed to parse; `gorch --help` when it names none.
    private static func helpCommand(for error: any Error) -> String {
        let full = Gorch.fullMessage(for: error, columns: 1_000)
        for line in full.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("See '"), let end = trimmed.dropFirst(5).firstIndex(of: "'") else { continue }
            return String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 5)..<end])
        }
        return "gorch --help"
    }
}
