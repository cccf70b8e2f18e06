import Foundation
import GitKit
import GorchCore

/// Shorthands for building the documented JSON shapes key by key.
extension JSONValue {
    static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func int(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
    static func int32(_ value: Int32?) -> JSONValue { value.map { .int(Int($0)) } ?? .null }
    static func bool(_ value: Bool?) -> JSONValue { value.map(JSONValue.bool) ?? .null }
    static func oid(_ value: OID?) -> JSONValue { value.map { .string($0.hex) } ?? .null }
    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
    static func ids(_ values: [TaskID]) -> JSONValue { .array(values.map { .string($0.rawValue) }) }
    static func date(_ value: Date?) -> JSONValue {
        value.map { .string($0.formatted(.iso8601)) } ?? .null
    }
}

enum JSONOut {
    /// Prints one JSON document on stdout.
    static func print(_ value: JSONValue) {
        Output.line(value.serialized)
    }
}
