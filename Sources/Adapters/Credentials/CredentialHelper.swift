import Foundation

/// A git credential helper (gitcredentials(7)) asked for an https username and password, run
/// here because gorch never runs `git`: the helper program speaks a line protocol on stdin and
/// stdout (`protocol=`, `host=`, `path=`, `username=`; a blank line ends the request) and answers
/// `username=` / `password=` lines. What it answers is a secret: never logged or put in errors.
public enum CredentialHelper {
    /// The program to run for a `credential.helper` value: `store` runs `git-credential-store`,
    /// a path runs that file, `!cmd` runs `cmd` in a shell (as git does); each gets `get`.
    static func invocation(helper: String, input: String, workingDirectory: String, timeout: Duration) -> ToolInvocation? {
        let trimmed = helper.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.hasPrefix("!") {
            return ToolInvocation(tool: "/bin/sh", arguments: ["-c", String(trimmed.dropFirst()) + " \"$@\"", "credential-helper", "get"],
                                  workingDirectory: workingDirectory, timeout: timeout, input: input)
        }
        // The first word is the helper, the rest its own arguments (`store --file ~/.creds`).
        let words = trimmed.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        let tool = first.contains("/") ? first : "git-credential-" + first
        return ToolInvocation(tool: tool, arguments: Array(words.dropFirst()) + ["get"], workingDirectory: workingDirectory,
                              timeout: timeout, input: input)
    }

    /// The request for `url`: protocol, host (with port) and path, and the username the URL names.
    static func request(for url: URL) -> String? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        var lines = ["protocol=\(scheme)", "host=\(host)" + (url.port.map { ":\($0)" } ?? "")]
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        if !path.isEmpty { lines.append("path=\(path)") }
        if let user = url.user, !user.isEmpty { lines.append("username=\(user)") }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// Asks `helper` for `url`'s credentials; nil when it has none (or answers without a password).
    /// - Throws: `ToolError` when the helper is missing, fails or hangs past `timeout`.
    public static func fill(helper: String, url: URL, workingDirectory: String, timeout: Duration = .seconds(30)) async throws
        -> (username: String, password: String)?
    {
        guard let input = request(for: url),
              let invocation = invocation(helper: helper, input: input, workingDirectory: workingDirectory, timeout: timeout)
        else { return nil }
        let output = try await ToolRunner.run(invocation)
        guard output.exitCode == 0 else {
            // Its stderr may echo what it was given: only the exit code is kept.
            throw ToolError(kind: .failed(exitCode: output.exitCode), tool: invocation.tool, commandLine: invocation.tool + " get",
                            message: "the git credential helper `\(invocation.tool)` failed (exit \(output.exitCode))",
                            hint: "check `git config credential.helper`, or set GORCH_REMOTE_TOKEN")
        }
        return parse(String(decoding: output.stdout, as: UTF8.self), url: url)
    }

    static func parse(_ answer: String, url: URL) -> (username: String, password: String)? {
        var fields: [String: String] = [:]
        for line in answer.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let password = fields["password"], !password.isEmpty else { return nil }
        return (fields["username"] ?? url.user ?? "", password)
    }
}
