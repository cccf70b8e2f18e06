import GorchCore

/// A JSON value whose objects keep their keys in the order they were written.
///
/// Foundation's JSONEncoder hashes object keys (only `.sortedKeys` gives a stable order), while
/// gorch's documented shapes list keys in a meaningful order; this type plus
/// `OrderedJSONEncoder` keep that order on the wire.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(l), .bool(r)): l == r
        case let (.int(l), .int(r)): l == r
        case let (.double(l), .double(r)): l == r
        case let (.string(l), .string(r)): l == r
        case let (.array(l), .array(r)): l == r
        case let (.object(l), .object(r)): l.map(\.key) == r.map(\.key) && l.map(\.value) == r.map(\.value)
        default: false
        }
    }

    /// Compact JSON text on one line (so a JSON-lines stream stays one object per line).
    var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        // JSON has no NaN or infinity; null is the honest rendering of "no number".
        case .double(let value): out += value.isFinite ? "\(value)" : "null"
        case .string(let value): JSONString.write(value, to: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                JSONString.write(member.key, to: &out)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        }
    }
}
