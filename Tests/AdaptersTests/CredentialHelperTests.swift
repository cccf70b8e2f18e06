@testable import Adapters
import Foundation
import GorchTestSupport
import Testing

/// The git credential helper protocol (gitcredentials(7)) as gorch speaks it without git.
@Suite(.timeLimit(.minutes(20))) struct CredentialHelperTests {
    @Test func requestNamesProtocolHostPathAndUser() throws {
        let url = try #require(URL(string: "https://alice@git.example.com:8443/team/repo.git"))
        #expect(CredentialHelper.request(for: url) == "protocol=https\nhost=git.example.com:8443\npath=team/repo.git\nusername=alice\n\n")
    }

    @Test func helperValuesAsGitRunsThem() {
        let store = CredentialHelper.invocation(helper: "store --file /tmp/c", input: "", workingDirectory: "/", timeout: .seconds(5))
        #expect(store?.tool == "git-credential-store" && store?.arguments == ["--file", "/tmp/c", "get"])
        let path = CredentialHelper.invocation(helper: "/opt/bin/helper", input: "", workingDirectory: "/", timeout: .seconds(5))
        #expect(path?.tool == "/opt/bin/helper" && path?.arguments == ["get"])
        let shell = CredentialHelper.invocation(helper: "!f() { echo; }; f", input: "", workingDirectory: "/", timeout: .seconds(5))
        #expect(shell?.tool == "/bin/sh" && shell?.arguments.last == "get")
        #expect(CredentialHelper.invocation(helper: "  ", input: "", workingDirectory: "/", timeout: .seconds(5)) == nil)
    }

    @Test func fillReadsTheAnswerAndGivesTheHelperTheRequest() async throws {
        let scratch = try TempDirectory(label: "credential-helper")
        let seen = scratch.path + "/request"
        // A shell helper as users configure them: it sees `get` and the request on stdin.
        let helper = "!f() { test \"$1\" = get && cat > '\(seen)'; echo username=bob; echo password=s3cret; }; f"
        let url = try #require(URL(string: "https://git.example.com/repo.git"))
        let answer = try await CredentialHelper.fill(helper: helper, url: url, workingDirectory: scratch.path)
        #expect(answer?.username == "bob" && answer?.password == "s3cret")
        #expect(try String(contentsOfFile: seen, encoding: .utf8) == "protocol=https\nhost=git.example.com\npath=repo.git\n\n")
        // No password: nothing to use. A failing helper: an error without its output.
        #expect(try await CredentialHelper.fill(helper: "!echo username=x", url: url, workingDirectory: scratch.path) == nil)
        let failing = await #expect(throws: ToolError.self) {
            _ = try await CredentialHelper.fill(helper: "!echo password=leaked >&2; exit 5; :", url: url, workingDirectory: scratch.path)
        }
        #expect(failing?.message.contains("exit 5") == true)
        #expect(failing?.description.contains("leaked") == false)
    }
}
