import GitKit
import GorchTestSupport
import Testing

/// Repository.configEntries(matchingPrefix:) against config written by git itself.
@Suite(.timeLimit(.minutes(20))) struct ConfigEntriesTests {
    private func repo(_ label: String = #function) throws -> TempRepo {
        let repo = try Fixture.repo(label)
        try repo.git("config", "gorch.resolve.CHANGELOG.md", "union")
        try repo.git("config", "--add", "gorch.resolve", "docs/** ours")
        try repo.git("config", "Gorch.Target", "main")
        try repo.git("config", "--add", "gorch.resolve", "*.lock theirs")
        try repo.git("config", "branch.Main.remote", "origin")
        return repo
    }

    @Test func entriesInConfigOrderWithGitsNormalisedNames() throws {
        let entries = try repo().open().configEntries(matchingPrefix: "gorch.")
        // File order: git appends `--add` values to the end of the existing [gorch] section.
        #expect(entries.map(\.name) == ["gorch.resolve.CHANGELOG.md", "gorch.resolve", "gorch.target", "gorch.resolve"])
        #expect(entries.map(\.value) == ["union", "docs/** ours", "main", "*.lock theirs"])
    }

    @Test func prefixIsCaseInsensitiveOnSectionAndKeyOnly() throws {
        let repository = try repo().open()
        // "resolve" is a key in `gorch.resolve` but part of the subsection in `gorch.resolve.CHANGELOG.md`.
        #expect(try repository.configEntries(matchingPrefix: "GORCH.RESOLVE").map(\.name) == ["gorch.resolve", "gorch.resolve"])
        #expect(try repository.configEntries(matchingPrefix: "Gorch.resolve").count == 3)
        #expect(try repository.configEntries(matchingPrefix: "gorch.resolve.CHANGELOG").count == 1)
        #expect(try repository.configEntries(matchingPrefix: "gorch.resolve.changelog").isEmpty)  // subsection: exact
        #expect(try repository.configEntries(matchingPrefix: "branch.Main.REMOTE").map(\.value) == ["origin"])
        #expect(try repository.configEntries(matchingPrefix: "branch.main.").isEmpty)
        #expect(try repository.configEntries(matchingPrefix: "nothing.here").isEmpty)
    }

    @Test func emptyPrefixListsEverything() throws {
        let entries = try repo().open().configEntries(matchingPrefix: "")
        #expect(entries.contains { $0.name == "core.bare" })
        #expect(entries.contains { $0.name == "branch.Main.remote" })
    }

    @Test func valuelessEntryReadsAsEmpty() throws {
        let repo = try Fixture.repo()
        let text = String(decoding: repo.read(".git/config") ?? .init(), as: UTF8.self) + "[gorch]\n\tflag\n"
        repo.write(".git/config", text)
        let entries = try repo.open().configEntries(matchingPrefix: "gorch.flag")
        #expect(entries.map(\.name) == ["gorch.flag"])
        #expect(entries.map(\.value) == [""])
    }
}
