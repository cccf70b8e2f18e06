internal import CLibGit2

extension Repository {
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
