/// The one stdout document of a failed command under `--json` (and of `conflicts --stdin`):
///
///     {"error": {"kind":    "usage" | "environment" | "stopped" | "internal",
///                "message": "what failed and why",
///                "hint":    "how to fix it" | null}}
struct ErrorJSON: Encodable {
    var kind: String
    var message: String
    var hint: String?

    init(_ report: ErrorReport) {
        kind = report.kind.rawValue
        message = report.message
        hint = report.hint
    }

    private enum OuterKeys: String, CodingKey { case error }
    private enum CodingKeys: String, CodingKey { case kind, message, hint }

    func encode(to encoder: any Encoder) throws {
        var outer = encoder.container(keyedBy: OuterKeys.self)
        var container = outer.nestedContainer(keyedBy: CodingKeys.self, forKey: .error)
        try container.encode(kind, forKey: .kind)
        try container.encode(message, forKey: .message)
        try container.encode(hint, forKey: .hint)
    }
}
