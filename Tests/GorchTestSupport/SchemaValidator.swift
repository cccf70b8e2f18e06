import Foundation

/// Checks documents against gorch's JSON Schemas (docs/schema, draft 2020-12) with the PyPI
/// `jsonschema` package: one `scripts/validate-json --batch` process for the whole test run
/// (Python's start-up would otherwise cost more than the gorch run it checks), asked one line
/// at a time under a lock. A missing validator fails the checks; it never skips them.
public final class SchemaValidator: @unchecked Sendable {
    public static let shared = SchemaValidator()

    private let lock = NSLock()
    private var process: Process?
    private var input: FileHandle?
    private var output: FileHandle?
    private var buffer = Data()

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// "ok", or what is wrong with `text` as a `schema` document (`schema`: a file name in
    /// docs/schema without `.json`).
    public func check(_ text: String, schema: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        do {
            let (input, output) = try running()
            let request = try JSONSerialization.data(withJSONObject: ["schema": schema, "text": text]) + Data("\n".utf8)
            try input.write(contentsOf: request)
            return readLine(output) ?? "the validator exited"
        } catch {
            process = nil
            return "cannot run scripts/validate-json: \(error)"
        }
    }

    private func running() throws -> (FileHandle, FileHandle) {
        if let process, process.isRunning, let input, let output { return (input, output) }
        let python = try AgentMailServer.locatePython()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: python)
        child.arguments = [Self.packageRoot.appendingPathComponent("scripts/validate-json").path, "--batch"]
        let stdin = Pipe(), stdout = Pipe()
        child.standardInput = stdin
        child.standardOutput = stdout
        try child.run()
        process = child
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        buffer = Data()
        return (stdin.fileHandleForWriting, stdout.fileHandleForReading)
    }

    private func readLine(_ handle: FileHandle) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                return String(decoding: line, as: UTF8.self)
            }
            // availableData returns what the pipe holds (read(upToCount:) waits for the whole count).
            let chunk = handle.availableData
            guard !chunk.isEmpty else { return nil }
            buffer.append(chunk)
        }
    }
}
