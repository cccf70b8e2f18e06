import GorchCore
import Rainbow

/// The human rendering of `gorch conflicts`: one aligned row per prediction, then each
/// conflicting path (with its kind; quoted as git quotes paths, see `PathQuoting`) or the error
/// indented under its row.
///
///     REV        VERDICT   BASES  CONFLICTS
///     feature-a  clean     1      0
///     feature-b  conflict  1      1
///       src/app.c (content)
///     nope       error     -      -
///       unknown revision 'nope': ...
enum ConflictsTable {
    /// - Parameter showsTarget: adds a TARGET column, for --matrix where every row has its own.
    static func render(_ predictions: [ConflictPrediction], showsTarget: Bool, color: Bool) -> [String] {
        var columns = [Table.Column(title: "REV"), Table.Column(title: "VERDICT"),
                       Table.Column(title: "BASES", alignment: .right), Table.Column(title: "CONFLICTS", alignment: .right)]
        if showsTarget { columns.insert(Table.Column(title: "TARGET"), at: 0) }
        var table = Table(columns: columns)
        for prediction in predictions {
            var cells = [Table.Cell(prediction.branch), verdictCell(prediction),
                         Table.Cell(prediction.bases.map(String.init) ?? "-"),
                         Table.Cell(prediction.error == nil ? String(prediction.conflicts.count) : "-")]
            if showsTarget { cells.insert(Table.Cell(prediction.target), at: 0) }
            table.add(cells)
            if let error = prediction.error {
                table.addDetail("  " + Table.Cell.visible(error.description), style: { $0.yellow })
            }
            for conflict in prediction.conflicts {
                table.addDetail("  \(PathQuoting.quoted(conflict.path)) (\(conflict.kind.rawValue))", style: { $0.red })
            }
        }
        return table.render(color: color)
    }

    private static func verdictCell(_ prediction: ConflictPrediction) -> Table.Cell {
        guard prediction.error == nil, let verdict = prediction.verdict else {
            return Table.Cell("error", style: { $0.yellow })
        }
        switch verdict {
        case .conflict: return Table.Cell(verdict.rawValue, style: { $0.red.bold })
        // Every verdict that merges without a person is good news.
        case .clean, .fastForward, .upToDate: return Table.Cell(verdict.rawValue, style: { $0.green })
        }
    }
}
