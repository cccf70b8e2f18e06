import GorchCore

/// The one document `gorch conflicts --json` prints (without `--stdin`):
///
///     {"target":      "main" | null,   // the resolved target; null with --matrix (each result names its own)
///      "results":     [<ConflictResultJSON>, ...],   // in argument order; --matrix: pairs (i, j), i < j
///      "conflicting": 2}               // how many results have verdict "conflict"
struct ConflictsReportJSON: Encodable {
    var target: String?
    var results: [ConflictResultJSON]
    var conflicting: Int

    init(target: String?, predictions: [ConflictPrediction]) {
        self.target = target
        results = predictions.map(ConflictResultJSON.init)
        conflicting = predictions.filter(\.hasConflicts).count
    }

    private enum CodingKeys: String, CodingKey { case target, results, conflicting }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(results, forKey: .results)
        try container.encode(conflicting, forKey: .conflicting)
    }
}
