import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that writes to stdout and stderr.
///
/// Writes go straight to the file descriptors (no stdio buffer), so each call reaches a reader at
/// once: `conflicts --stdin` answers line by line, and stdout and stderr never reorder.
enum Output {
    /// Writes `text` followed by a newline to stdout.
    static func line(_ text: String, terminator: Bool = true) {
        emit(text + (terminator ? "\n" : ""), to: STDOUT_FILENO)
    }

    /// Writes each line to stdout in one system call.
    static func lines(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        emit(lines.joined(separator: "\n") + "\n", to: STDOUT_FILENO)
    }

    /// Writes each line to stderr in one system call.
    static func errorLines(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        emit(lines.joined(separator: "\n") + "\n", to: STDERR_FILENO)
    }

    /// Writes `text` followed by a newline to stderr (status, errors, hints).
    static func errorLine(_ text: String) {
        emit(text + "\n", to: STDERR_FILENO)
    }

    /// Whether stdout is a terminal.
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or the
    /// terminal says it cannot show it.
    static var usesColor: Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal
    }

    /// Loops over partial writes and EINTR. Other failures (a closed pipe) are dropped: there is
    /// nobody left to tell.
    private static func emit(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
