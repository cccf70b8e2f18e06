/// A bd issue as `bd list/ready/show/create/update --json` print it (contracts.md section 1,
/// `Issue`, `IssueWithCounts`, `IssueDetails`). Decoded leniently: unknown keys are ignored, an
/// optional field of an unexpected type reads as nil; only `id` is required.
public struct BeadsIssue: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var description: String?
    public var design: String?
    public var acceptance_criteria: String?
    public var notes: String?
    /// `open`, `in_progress`, `blocked`, `deferred`, `closed`, `pinned`, `hooked`, or custom.
    public var status: String
    /// 0 = highest. bd always prints it; 2 (bd's default) when missing.
    public var priority: Int
    public var issue_type: String?
    public var assignee: String?
    public var owner: String?
    public var created_at: String
    public var created_by: String?
    public var updated_at: String
    public var started_at: String?
    public var closed_at: String?
    public var close_reason: String?
    public var labels: [String]?
    /// Edge records in list/ready items; full issues + `dependency_type` in `bd show`.
    public var dependencies: [BeadsDependency]?
    /// The parent epic (list/ready/show items).
    public var parent: String?
    public var dependency_count: Int?
    public var dependent_count: Int?

    public init(id: String, title: String, status: String = "open", priority: Int = 2,
                created_at: String = "", updated_at: String = "") {
        self.id = id
        self.title = title
        self.status = status
        self.priority = priority
        self.created_at = created_at
        self.updated_at = updated_at
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, design, acceptance_criteria, notes, status, priority, issue_type
        case assignee, owner, created_at, created_by, updated_at, started_at, closed_at, close_reason
        case labels, dependencies, parent, dependency_count, dependent_count
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = c.lenient(String.self, .title) ?? ""
        description = c.lenient(String.self, .description)
        design = c.lenient(String.self, .design)
        acceptance_criteria = c.lenient(String.self, .acceptance_criteria)
        notes = c.lenient(String.self, .notes)
        status = c.lenient(String.self, .status) ?? "open"
        priority = c.lenient(Int.self, .priority) ?? 2
        issue_type = c.lenient(String.self, .issue_type)
        assignee = c.lenient(String.self, .assignee)
        owner = c.lenient(String.self, .owner)
        created_at = c.lenient(String.self, .created_at) ?? ""
        created_by = c.lenient(String.self, .created_by)
        updated_at = c.lenient(String.self, .updated_at) ?? ""
        started_at = c.lenient(String.self, .started_at)
        closed_at = c.lenient(String.self, .closed_at)
        close_reason = c.lenient(String.self, .close_reason)
        labels = c.lenient([String].self, .labels)
        dependencies = c.lenient([Lenient<BeadsDependency>].self, .dependencies).map { $0.compactMap(\.value) }
        parent = c.lenient(String.self, .parent)
        dependency_count = c.lenient(Int.self, .dependency_count)
        dependent_count = c.lenient(Int.self, .dependent_count)
    }
}

/// A dependency in either of bd's forms: an edge record `{issue_id, depends_on_id, type}`
/// (list/ready, export) or, in `bd show`, the full issue depended on plus `dependency_type`.
public struct BeadsDependency: Codable, Sendable, Equatable {
    /// The issue that depends (edge form).
    public var issueID: String?
    /// The issue depended on (edge form); in the full-issue form see `id`.
    public var dependsOnID: String?
    /// `blocks`, `parent-child`, `related`, ...: `type` or `dependency_type`.
    public var type: String?
    /// The issue depended on (full-issue form).
    public var id: String?
    /// Its status (full-issue form).
    public var status: String?
    /// Its title (full-issue form).
    public var title: String?

    /// The issue depended on, in either form.
    public var target: String? { dependsOnID ?? id }

    public init(issueID: String? = nil, dependsOnID: String? = nil, type: String? = nil,
                id: String? = nil, status: String? = nil, title: String? = nil) {
        self.issueID = issueID
        self.dependsOnID = dependsOnID
        self.type = type
        self.id = id
        self.status = status
        self.title = title
    }

    enum CodingKeys: String, CodingKey {
        case issueID = "issue_id", dependsOnID = "depends_on_id", type, dependencyType = "dependency_type"
        case id, status, title
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issueID = c.lenient(String.self, .issueID)
        dependsOnID = c.lenient(String.self, .dependsOnID)
        type = c.lenient(String.self, .type) ?? c.lenient(String.self, .dependencyType)
        id = c.lenient(String.self, .id)
        status = c.lenient(String.self, .status)
        title = c.lenient(String.self, .title)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(issueID, forKey: .issueID)
        try c.encodeIfPresent(dependsOnID, forKey: .dependsOnID)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(title, forKey: .title)
    }
}

extension KeyedDecodingContainer {
    /// The value if present and of the right type; nil otherwise (absent, null, or another type).
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}

/// An element that reads as nil instead of failing the whole array.
struct Lenient<T: Decodable>: Decodable {
    let value: T?
    init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
}
