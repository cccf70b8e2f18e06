import GorchCore

/// A task record as JSON: `{"id","title","state","branch","after","scope","note"}`.
enum TaskJSON {
    static func record(_ task: TaskRecord) -> JSONValue {
        .object([("id", .string(task.id.rawValue)), ("title", .string(task.title)), ("state", .string(task.state.rawValue)),
                 ("branch", .string(task.branch)), ("after", .ids(task.after)),
                 ("scope", task.files.map(JSONValue.strings) ?? .null), ("note", .string(task.note))])
    }
}
