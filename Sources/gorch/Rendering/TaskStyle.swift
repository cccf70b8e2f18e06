import GorchCore
import Rainbow

/// Colours for task states and outcomes, applied only when Output.usesColor.
enum TaskStyle {
    static func state(_ state: TaskState) -> (String) -> String {
        switch state {
        case .planned: { $0.lightBlack }
        case .started: { $0.cyan }
        case .ready: { $0.green }
        case .merged: { $0.lightBlack }
        case .failed: { $0.red }
        case .conflicted: { $0.yellow }
        }
    }

    static func outcome(_ outcome: TaskMergeResult.Outcome) -> (String) -> String {
        switch outcome {
        case .merged, .upToDate: { $0.green }
        case .conflicted, .refused: { $0.yellow }
        case .failed: { $0.red }
        case .notAttempted: { $0.lightBlack }
        }
    }

    static func paint(_ text: String, _ style: (String) -> String) -> String {
        Output.usesColor ? style(text) : text
    }
}
