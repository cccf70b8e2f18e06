import GorchCore

/// `gorch plan --json` (docs/schema/plan.json; DESIGN.md "Commands").
struct PlanJSON: Encodable {
    var change: String
    var mode: String
    var unchecked: Int
    var phases: [Phase]
    var numbering: [Numbering]
    var validation: Validation?

    struct Numbering: Encodable {
        var line: Int
        var message: String
    }

    struct Phase: Encodable {
        var number: Int
        var title: String
        var tasks: [Task]
    }

    struct Task: Encodable {
        var number: String
        var text: String
        var files: [String]?
        var done: Bool
    }

    struct Validation: Encodable {
        var valid: Bool
        var issues: [String]
    }
}

/// `gorch populate --json` (docs/schema/populate.json).
struct PopulateJSON: Encodable {
    var change: String
    var issues: [Issue]
    var links: [Link]
    var cycles: [[String]]
    var warnings: [String]

    struct Issue: Encodable {
        var number: String
        var id: String
        var title: String
        var phase: Int
        var created: Bool
    }

    struct Link: Encodable {
        var issue: String
        var dependsOn: String
        var created: Bool

        enum CodingKeys: String, CodingKey { case issue, dependsOn = "depends_on", created }
    }
}
