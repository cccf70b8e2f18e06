/// A task's declared file scope (DESIGN.md "Tasks"): `(Files: a.py, web/*.js)` at the end of its
/// title (as populated from a tasks.md line) or a `Files:` line in its description. nil means
/// unknown scope.
public enum ScopeDeclaration {
    public static func files(title: String, description: String?) -> [String]? {
        if let description {
            for line in description.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.lowercased().hasPrefix("files:") {
                    return split(String(trimmed.dropFirst(6)))
                }
            }
        }
        if let open = title.range(of: "(Files:", options: [.caseInsensitive, .backwards]),
           let close = title[open.upperBound...].firstIndex(of: ")") {
            return split(String(title[open.upperBound..<close]))
        }
        return nil
    }

    static func split(_ list: String) -> [String]? {
        let files = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return files.isEmpty ? nil : files
    }
}
