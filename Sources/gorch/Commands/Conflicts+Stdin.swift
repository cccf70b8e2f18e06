import Foundation
import GorchCore

/// `--stdin` mode: a stream of `TARGET REV` lines, each answered with one JSON line at once.
extension Conflicts {
    /// Reads until end of input, holding one line at a time (streams may be long); returns
    /// whether any pair conflicts.
    func streamStandardInput(_ predictor: PredictionPool) throws -> Bool {
        let encoder = OrderedJSONEncoder()
        nonisolated(unsafe) var anyConflict = false
        nonisolated(unsafe) var encodingFailure: (any Error)?
        var lineNumber = 0
        predictor.stream(next: { () -> (Int, Result<(target: String, branch: String), MalformedLine>)? in
            while let raw = readLine(strippingNewline: true) {
                lineNumber += 1
                let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty || line.hasPrefix("#") { continue }
                return (lineNumber, Self.parsePair(line))
            }
            return nil
        }, pair: { try? $0.1.get() }, emit: { item, prediction in
            let result: ConflictResultJSON
            if let prediction {
                anyConflict = anyConflict || prediction.hasConflicts
                result = ConflictResultJSON(prediction)
            } else {
                result = ConflictResultJSON(malformedLine: "line \(item.0): \(Self.problem(item.1))")
            }
            // Written (and so flushed) per line, in input order: a coordinator can act on the
            // first answer while later lines are still being merged.
            do { Output.line(try encoder.encode(result)) } catch { encodingFailure = encodingFailure ?? error }
        })
        if let encodingFailure { throw encodingFailure }
        return anyConflict
    }

    private static func problem(_ parsed: Result<(target: String, branch: String), MalformedLine>) -> String {
        if case .failure(let malformed) = parsed { return malformed.message }
        return ""
    }

    struct MalformedLine: Error {
        var message: String
    }

    /// `TARGET REV`, separated by any run of spaces or tabs.
    static func parsePair(_ line: String) -> Result<(target: String, branch: String), MalformedLine> {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 2 else {
            return .failure(MalformedLine(message: "expected `TARGET REV` (two fields), got \(fields.count): '\(line)'"))
        }
        return .success((String(fields[0]), String(fields[1])))
    }
}
