import Foundation
import GorchCore

/// `--stdin` mode: a stream of `TARGET REV` lines, each answered with one JSON line at once.
extension Conflicts {
    /// Reads until end of input, holding one line at a time (streams may be long); returns
    /// whether any pair conflicts.
    func streamStandardInput(_ predictor: ConflictPredictor) throws -> Bool {
        let encoder = OrderedJSONEncoder()
        var anyConflict = false
        var lineNumber = 0
        while let raw = readLine(strippingNewline: true) {
            lineNumber += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let result: ConflictResultJSON
            switch Self.parsePair(line) {
            case .success(let pair):
                let prediction = predictor.predict(target: pair.target, branch: pair.branch)
                anyConflict = anyConflict || prediction.hasConflicts
                result = ConflictResultJSON(prediction)
            case .failure(let problem):
                result = ConflictResultJSON(malformedLine: "line \(lineNumber): \(problem.message)")
            }
            // Written (and so flushed) per line: a coordinator can act on the first answer.
            Output.line(try encoder.encode(result))
        }
        return anyConflict
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
