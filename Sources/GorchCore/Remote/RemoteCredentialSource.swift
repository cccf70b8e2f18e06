import Adapters
import Foundation
import GitKit

/// What a fetch or push to the task remote may authenticate with (DESIGN.md "Several machines"):
/// - ssh: the ssh-agent, then `gorch.sshKey` (a private key file; `.pub` beside it), else the
///   usual `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`;
/// - https: `GORCH_REMOTE_TOKEN` (user `GORCH_REMOTE_USER`, else the URL's, else `git`), else the
///   configured git credential helper (`credential.helper`), run through the Adapters layer.
/// Nothing here is printed, logged or put in an error.
enum RemoteCredentialSource {
    static func credentials(for url: String, _ workspace: Workspace) async -> RemoteCredentials {
        var credentials = RemoteCredentials()
        credentials.sshKeys = sshKeys(workspace)
        guard let parsed = URL(string: url), let scheme = parsed.scheme, scheme == "https" || scheme == "http" else {
            return credentials
        }
        let environment = ProcessInfo.processInfo.environment
        var found: (username: String, password: String)?
        if let token = environment["GORCH_REMOTE_TOKEN"], !token.isEmpty {
            found = (environment["GORCH_REMOTE_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? parsed.user ?? "git", token)
        } else if let helper = (try? workspace.repository.configString("credential.helper")) ?? nil {
            found = try? await CredentialHelper.fill(helper: helper, url: parsed, workingDirectory: workspace.paths.root)
        }
        if let found {
            credentials.userPassword = { _, _ in found }
        }
        return credentials
    }

    static func sshKeys(_ workspace: Workspace) -> [RemoteCredentials.SSHKey] {
        let configured = ((try? workspace.repository.configString("gorch.sshKey")) ?? nil).map { [($0 as NSString).expandingTildeInPath] }
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let candidates = configured ?? ["id_ed25519", "id_ecdsa", "id_rsa"].map { home + "/.ssh/" + $0 }
        return candidates.filter { FileManager.default.fileExists(atPath: $0) }.map { path in
            let publicKey = path + ".pub"
            return RemoteCredentials.SSHKey(publicKeyPath: FileManager.default.fileExists(atPath: publicKey) ? publicKey : nil, privateKeyPath: path,
                          passphrase: ProcessInfo.processInfo.environment["GORCH_SSH_PASSPHRASE"])
        }
    }
}
