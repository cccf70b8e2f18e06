import GitKit

/// A duration from git config: seconds, or a number with s, m or h (`20m`).
enum DurationSetting {
    static func read(_ repository: Repository, key: String, default fallback: Duration) throws -> Duration {
        guard let text = try repository.configString(key)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return fallback
        }
        guard let value = parse(text) else {
            throw GorchFailure(.usage, "\(key) is '\(text)', not a duration",
                               hint: "set seconds or a number with s, m or h, e.g. `git config \(key) 20m`")
        }
        return value
    }

    static func parse(_ text: String) -> Duration? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text)
        var scale = 1.0
        if let last = text.last, let unit = units[last] { number = number.dropLast(); scale = unit }
        guard let value = Double(number), value > 0 else { return nil }
        return .milliseconds(Int(value * scale * 1000))
    }
}
