/// A built-in way to run a real coding-agent CLI as a gorch agent (`--agent NAME`): a shell
/// command line with the same placeholders as `--run CMD`, run the same way (sh -c in the task's
/// worktree, its timeout, log and environment).
///
/// Every preset is non-interactive, reads the task from `{description_file}` (on stdin or as a
/// message file, never as a shell argument, so a long or odd description cannot break the
/// command line) and leaves the work committed: either the CLI commits itself (aider), or the
/// preset ends in `commitStep`, which commits what the agent left only when it succeeded.
/// Flags as documented by each CLI (checked against the docs and sources named in
/// `documentation`); a user replaces a preset with `git config gorch.agent.<name>.command '...'`.
public struct AgentPreset: Sendable, Equatable {
    public let name: String
    /// What must be on PATH (`gorch agents` reports it).
    public let executable: String
    /// How the CLI is called, without gorch's commit step.
    public let invocation: String
    /// Whether the CLI commits its own work, so no commit step is appended.
    public let commitsItself: Bool
    /// Where the flags are documented.
    public let documentation: String

    /// The shell command line `--agent NAME` runs.
    public var command: String { commitsItself ? invocation : invocation + " && " + Self.commitStep }

    /// Commits whatever the agent left in the worktree, only when there is something; runs only
    /// after the agent exited 0 (`&&`), so a failed agent's half-work stays uncommitted for a person.
    public static let commitStep = "git add -A && { git diff --cached --quiet || git commit -q -m {title}; }"

    /// The built-in presets, in the order `gorch agents` lists them.
    public static let builtIn: [AgentPreset] = [
        // Claude Code: -p/--print is the non-interactive mode; with no prompt argument it reads
        // the prompt from stdin. --permission-mode acceptEdits lets it edit files without asking;
        // other tools (Bash, so also git commit) are refused in -p mode, hence the commit step.
        // Give it --dangerously-skip-permissions through gorch.agent.claude.command to let it run
        // tests too (it refuses to start as root).
        // https://code.claude.com/docs/en/headless, https://code.claude.com/docs/en/cli-reference
        AgentPreset(name: "claude", executable: "claude",
                    invocation: "claude -p --permission-mode acceptEdits < {description_file}",
                    commitsItself: false, documentation: "https://code.claude.com/docs/en/cli-reference"),
        // Codex CLI: `codex exec` is the non-interactive mode; the prompt `-` is read from stdin.
        // --sandbox workspace-write lets it edit the worktree and run commands in its sandbox
        // (exec never asks for approval); the sandbox keeps .git read-only, hence the commit step.
        // (--full-auto is deprecated in favour of --sandbox workspace-write.)
        // https://developers.openai.com/codex/noninteractive, https://developers.openai.com/codex/cli/reference
        AgentPreset(name: "codex", executable: "codex",
                    invocation: "codex exec --sandbox workspace-write - < {description_file}",
                    commitsItself: false, documentation: "https://developers.openai.com/codex/noninteractive"),
        // opencode: `opencode run [message..]` runs one prompt and exits; piped stdin is the
        // message when none is given. Its default permissions allow edits and commands; a
        // request that would ask is rejected in run mode, so it never waits for a person. It
        // commits only when it decides to, hence the commit step.
        // https://opencode.ai/docs/cli/#run; stdin and permission handling: packages/opencode/
        // src/cli/cmd/run.ts in github.com/sst/opencode (resolveRunInput, "auto-rejecting").
        AgentPreset(name: "opencode", executable: "opencode",
                    invocation: "opencode run < {description_file}",
                    commitsItself: false, documentation: "https://opencode.ai/docs/cli/#run"),
        // Gemini CLI: -p/--prompt is headless mode, its text appended to the prompt read from
        // stdin. --approval-mode auto_edit approves file edits (shell commands, so commits, are
        // not run in headless mode without yolo), hence the commit step. (--yolo is the older
        // spelling of --approval-mode yolo.)
        // https://geminicli.com/docs/cli/headless/, https://geminicli.com/docs/cli/cli-reference/
        AgentPreset(name: "gemini", executable: "gemini",
                    invocation: "gemini --approval-mode auto_edit -p 'Carry out the task above in this repository.' < {description_file}",
                    commitsItself: false, documentation: "https://geminicli.com/docs/cli/headless/"),
        // aider: --message-file sends the file as one message, applies the edits and exits;
        // --yes-always answers its confirmations (not shell commands, which need an explicit yes);
        // it commits each change itself (--auto-commits is on by default). --no-check-update and
        // --no-analytics keep --yes-always from accepting an upgrade or analytics prompt.
        // https://aider.chat/docs/scripting.html, https://aider.chat/docs/config/options.html
        AgentPreset(name: "aider", executable: "aider",
                    invocation: "aider --message-file {description_file} --yes-always --no-check-update --no-analytics",
                    commitsItself: true, documentation: "https://aider.chat/docs/scripting.html"),
    ]

    /// The built-in preset called `name`.
    public static func named(_ name: String) -> AgentPreset? {
        builtIn.first { $0.name == name }
    }
}
