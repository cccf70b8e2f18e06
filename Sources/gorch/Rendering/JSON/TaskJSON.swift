import GorchCore

/// A task record: `{"id","title","state","branch","after","scope","note"}` (scope null: unknown).
struct TaskJSON: Encodable {
    var id: String
    var title: String
    var state: String
    var branch: String
    var after: [String]
    var scope: [String]?
    var note: String?

    init(_ task: TaskRecord) {
        id = task.id.rawValue
        title = task.title
        state = task.state.rawValue
        branch = task.branch
        after = task.after.map(\.rawValue)
        scope = task.files
        note = task.note
    }
}

/// `gorch add --json`: `{"task": <task>}` (docs/schema/add.json).
struct AddJSON: Encodable {
    var task: TaskJSON
}

/// One step of a setup or validation: `{"command","exit_code","timed_out","seconds"}`.
struct StepJSON: Encodable {
    var command: String
    var exitCode: Int32?
    var timedOut: Bool
    var seconds: Double

    enum CodingKeys: String, CodingKey { case command, exitCode = "exit_code", timedOut = "timed_out", seconds }
}

/// `{"path","reason"}`: something left alone, and why.
struct SkippedPathJSON: Encodable {
    var path: String
    var reason: String
}
