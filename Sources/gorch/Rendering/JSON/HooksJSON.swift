import GorchCore

/// A hook file gorch changed: `{"hook","path","action","detail"}`.
struct HookChangeJSON: Encodable {
    var hook: String
    var path: String
    var action: String
    var detail: String?

    init(_ change: HookChange) {
        hook = change.hook
        path = change.path
        action = change.action.rawValue
        detail = change.detail
    }
}

/// `gorch hooks install --json` and `gorch hooks uninstall --json` (docs/schema/hooks.json);
/// `gorch` (the executable the hooks run) is null for uninstall.
struct HooksChangesJSON: Encodable {
    var hooksDir: String
    var gorch: String?
    var changes: [HookChangeJSON]

    enum CodingKeys: String, CodingKey { case hooksDir = "hooks_dir", gorch, changes }
}

/// `gorch hooks status --json` (docs/schema/hooks-status.json).
struct HooksStatusJSON: Encodable {
    var hooksDir: String
    var installed: Bool
    var hooks: [Hook]

    struct Hook: Encodable {
        var hook: String
        var path: String
        var state: String
        var gorch: String?
        var detail: String?
    }

    enum CodingKeys: String, CodingKey { case hooksDir = "hooks_dir", installed, hooks }
}
