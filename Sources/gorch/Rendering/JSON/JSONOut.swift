/// The one way a command prints its `--json` document: an `Encodable` type per document (each
/// with a JSON Schema in docs/schema/), encoded with key order kept and nil as null.
enum JSONOut {
    /// Prints `document` as one line on stdout.
    static func print<Document: Encodable>(_ document: Document) throws {
        Output.line(try OrderedJSONEncoder().encode(document))
    }
}
