/// bd's JSON around a payload (contracts.md section 1, cmd/bd/output.go): raw arrays, objects
/// with `schema_version` injected, or with `BD_JSON_ENVELOPE=1` `{"schema_version":1,"data":...}`.
struct BeadsPayload<T: Decodable>: Decodable {
    let value: T

    private enum EnvelopeKeys: String, CodingKey { case data, schema_version }

    init(from decoder: any Decoder) throws {
        if let envelope = try? decoder.container(keyedBy: EnvelopeKeys.self),
           envelope.contains(.data), envelope.contains(.schema_version) {
            value = try envelope.decode(T.self, forKey: .data)
        } else {
            value = try T(from: decoder)
        }
    }
}

/// `bd show` prints an array (show.go:414) though docs/JSON_SCHEMA.md says an object: both read.
struct OneOrMany<T: Decodable>: Decodable {
    let items: [T]

    init(from decoder: any Decoder) throws {
        if (try? decoder.unkeyedContainer()) != nil {
            items = try [T](from: decoder)
        } else {
            items = [try T(from: decoder)]
        }
    }
}
