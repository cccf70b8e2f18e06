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
        let message = Gorch.message(for: error)
        guard let first = message.first, first.isUppercase,
              message.dropFirst().first.map({ !$0.isUppercase }) ?? true else { return message }
        return first.lowercased() + message.dropFirst()
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
