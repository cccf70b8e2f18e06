internal import CLibGit2

extension Repository {
    /// A boolean config value as git spells true: `true`, `yes`, `on`, `1` or no value at all
    /// (`[core] ignorecase`), case-insensitively; anything else set is false; nil when unset.
    public func configFlag(_ key: String) throws -> Bool? {
        try configString(key).map { ["true", "yes", "on", "1", ""].contains($0.lowercased()) }
    }

    /// A config value from the repository's config (local, global, system, as git reads them);
    /// nil when unset (`git_config_get_string_buf`).
    public func configString(_ key: String) throws -> String? {
        try withConfig { config in
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            let rc = git_config_get_string_buf(&buffer, config, key)
            if rc == GIT_ENOTFOUND.rawValue { return nil }
            try check(rc, "git_config_get_string_buf")
            return buffer.ptr.map { String(cString: $0) }
        }
    }

    /// All values of a multi-valued key, in config order (`git_config_multivar_iterator_new`).
    public func configValues(_ key: String) throws -> [String] {
        try withConfig { config in
            var iterator: OpaquePointer?
            let rc = git_config_multivar_iterator_new(&iterator, config, key, nil)
            if rc == GIT_ENOTFOUND.rawValue { return [] }
            try check(rc, "git_config_multivar_iterator_new")
            guard let iterator else { return [] }
            defer { git_config_iterator_free(iterator) }
            var values: [String] = []
            var entry: UnsafeMutablePointer<git_config_entry>?
            while git_config_next(&entry, iterator) == 0 {
                if let value = entry?.pointee.value { values.append(String(cString: value)) }
            }
            return values
        }
    }

    /// Every config entry whose name starts with `prefix`, in config order (system, global, local;
    /// within a file, top to bottom), multi-valued keys once per value (`git_config_iterator_new`).
    /// Names arrive as git normalises them: section and key lowercased, a subsection's case kept;
    /// the prefix is compared the same way (case-insensitively against the section and key parts,
    /// exactly against the subsection), so `gorch.Resolve` matches `gorch.resolve.CHANGELOG.md`.
    /// An entry without a value (`[gorch] flag`) reads as "".
    public func configEntries(matchingPrefix prefix: String) throws -> [(name: String, value: String)] {
        try withConfig { config in
            var iterator: OpaquePointer?
            try check(git_config_iterator_new(&iterator, config), "git_config_iterator_new")
            guard let iterator else { return [] }
            defer { git_config_iterator_free(iterator) }
            var entries: [(name: String, value: String)] = []
            var entry: UnsafeMutablePointer<git_config_entry>?
            while true {
                let rc = git_config_next(&entry, iterator)
                if rc == GIT_ITEROVER.rawValue { break }
                try check(rc, "git_config_next")
                guard let raw = entry?.pointee, let namePointer = raw.name else { continue }
                let name = String(cString: namePointer)
                guard Self.configName(name, hasPrefix: prefix) else { continue }
                entries.append((name: name, value: raw.value.map { String(cString: $0) } ?? ""))
            }
            return entries
        }
    }

    /// Prefix test on a normalised config name: bytes in the section (before the first dot) and the
    /// key (after the last dot) compare ASCII-case-insensitively, the subsection exactly.
    static func configName(_ name: String, hasPrefix prefix: String) -> Bool {
        let n = Array(name.utf8), p = Array(prefix.utf8)
        guard p.count <= n.count else { return false }
        let firstDot = n.firstIndex(of: UInt8(ascii: ".")) ?? n.count
        let lastDot = n.lastIndex(of: UInt8(ascii: ".")) ?? n.count
        func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c + 32 : c }
        for i in p.indices {
            let insensitive = i <= firstDot || i >= lastDot
            if insensitive ? lower(n[i]) != lower(p[i]) : n[i] != p[i] { return false }
        }
        return true
    }

    /// Sets a key in the repository's own config file (`git_config_set_string` at the local level).
    public func setConfigString(_ key: String, _ value: String) throws {
        try withConfig { config in
            var local: OpaquePointer?
            try check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "git_config_open_level")
            guard let local else { return }
            defer { git_config_free(local) }
            try check(git_config_set_string(local, key, value), "git_config_set_string")
        }
    }

    private func withConfig<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        var config: OpaquePointer?
        try check(git_repository_config(&config, raw), "git_repository_config")
        guard let config else { throw GitError(code: .notFound, function: "git_repository_config", message: "no config") }
        defer { git_config_free(config) }
        return try body(config)
    }
}
