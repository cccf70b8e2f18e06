/// The six skills of the gorch workflow, in the order the workflow uses them:
/// spec -> issues -> batch -> implement -> merge (DESIGN.md, first section).
///
/// Each skill is short and imperative, and calls gorch (with `--json` wherever the agent reads the
/// output) rather than re-implementing a step. `gorch skills install` writes them; the texts live
/// here so that one binary always installs the skills that match its own commands.
public enum SkillCatalog {
    public static let all: [Skill] = [specPlanner, populateTask, taskPopulator, batchOrchestration, taskExecution, mergeCoordinator]

    static let specPlanner = Skill(
        name: "spec-planner",
        description: "Plan a feature as an OpenSpec change whose tasks.md gorch can schedule: numbered phases of small tasks, each declaring the files it touches, checked with gorch plan. Use when asked to plan, spec or split work for parallel coding agents.",
        body: """
            # Spec planner

            Goal: `openspec/changes/<change>/tasks.md` that `gorch plan` parses into phases of tasks
            with file scopes, so the tasks of one phase can be built in parallel without conflicts.

            1. Name the change in kebab-case (`add-login-form`) and create
               `openspec/changes/<change>/` with `proposal.md` (why, what changes, impact). If the
               `openspec` CLI is installed, also write the spec deltas it expects
               (`specs/<capability>/spec.md`), because `gorch plan` runs `openspec validate --strict`.
            2. Write `tasks.md` in exactly this shape:

               ```markdown
               ## 1. Data model
               - [ ] 1.1 Add the User model and its tests (Files: src/models/user.py, tests/test_user.py)
               - [ ] 1.2 Add the password hasher (Files: src/auth/hash.py, tests/test_hash.py)

               ## 2. Login
               - [ ] 2.1 Login form (Files: web/login.html, web/login.js)
               - [ ] 2.2 Session endpoint (Files: src/api/session.py, tests/test_session.py) (after 1.2)
               ```

               - Phases: `## N. Title`, numbered 1, 2, 3... Tasks: `- [ ] N.M text`, N = its phase.
               - Every task of phase N+1 waits for every task of phase N. Put what others build on
                 in an earlier phase; tasks in the same phase run at the same time.
               - End each task with `(Files: ...)`: every file it creates or edits, tests included
                 (globs allowed: `web/*.js`). Tasks of one phase must not share a file. A task
                 without `Files:` has unknown scope: at most one such task runs per batch.
               - Files many tasks would touch (routes, registries, changelog): give them to one
                 task, or to a task in a later phase.
               - `(after N.M)` adds a dependency on one task beyond the phase order.
               - One task = one agent session: a few hundred lines at most, testable alone.
            3. Check it: `gorch plan <change> --json`. Require exit 0, `unchecked` > 0, no task with
               `"files": null` unless intended, and `validation` null or `{"valid": true}`. Fix
               `tasks.md` and re-run until it passes.
            4. Report `mode`: `sequential` (1-4 tasks) -> use the populate-task skill;
               `parallel-phases` (5 or more) -> use the task-populator skill.
            """
    )

    static let populateTask = Skill(
        name: "populate-task",
        description: "Create the tracker issues (Beads) for an OpenSpec change in one command and check the dependency graph. Use after spec-planner when the change is small or one agent populates it.",
        body: """
            # Populate tasks

            1. `gorch plan <change> --json`. `unchecked` is 0: nothing to do, stop.
            2. `gorch populate <change> --json`: one issue per unchecked task (labels
               `openspec:<change>`, `task:<N.M>`) and the dependency links. It is idempotent: running
               it again reuses the issues and links (`"created": false`).
               - Exit 3 "not in Beads mode": there is no `bd` on PATH or no `.beads/`. Either
                 `bd init` and re-run, or add the tasks to gorch's own list:
                 `gorch add <id> --title "<N.M text>" --files <globs> --after <ids of the previous phase>`.
            3. Check the output:
               - `cycles` must be `[]`. Exit 1 with cycles: an `(after N.M)` in `tasks.md` points
                 backwards; fix it, then `gorch populate <change> --link --json`.
               - `issues[]`: every task number has an `id`.
               - Read every entry of `warnings`.
            4. Report the issue ids and the phase count, then use the batch-orchestration skill.
            """
    )

    static let taskPopulator = Skill(
        name: "task-populator",
        description: "Populate a large OpenSpec change (gorch plan mode parallel-phases) phase by phase in parallel, then link the phases and check for cycles. Use instead of populate-task for changes with 5 or more tasks.",
        body: """
            # Task populator (parallel phases)

            1. `gorch plan <change> --json`; note each phase `number` that has a task with
               `"done": false`.
            2. For each such phase N, run `gorch populate <change> --phase N --json`. These may run at
               the same time (one subagent or background shell per phase): each creates only its
               own phase's issues and no links. Wait for all of them; each must exit 0.
            3. Then, once: `gorch populate <change> --link --json`. This adds every link (each phase
               N+1 task blocked by each phase N task, plus `(after N.M)`) and checks the graph.
               `cycles` must be `[]`; on exit 1 fix the `(after N.M)` lines in `tasks.md` and re-run
               `--link`.
            4. Verify: `gorch populate <change> --json` now creates nothing (every `created` is
               false). Read every entry of `warnings`.
            5. Use the batch-orchestration skill.
            """
    )

    static let batchOrchestration = Skill(
        name: "batch-orchestration",
        description: "Pick and start the next batch of up to 4 tasks that cannot collide (each in its own worktree and branch) and get coder agents running in them. Use when issues or tasks are ready to be worked on.",
        body: """
            # Batch orchestration

            1. `gorch status --json`. If `interrupted` is not null, a merge run is open: finish it
               first with the merge-coordinator skill.
            2. `gorch batch --json`. Without a terminal and without `--yes` this only proposes and
               starts nothing. Read `picks[]` (`id`, `title`, `scope`) and `skips[]` (`reason`).
               No picks: nothing is ready; if tasks are `ready` in status, merge them; else stop.
            3. Review the picks. Drop one whose `scope` is null or looks too wide for its title.
               Skips (overlapping scope, a reservation, a file an in-flight branch changed) are
               expected: they come back in a later batch.
            4. Start the approved set: `gorch batch --ids <id1>,<id2> --json` (or `--yes` to take
               the proposal as is). `started[]` gives each `worktree` and `branch`.
            5. Get an agent working in each worktree, one of:
               - `gorch batch --ids <ids> --run '<agent command>' --json`: starts the tasks and runs
                 the command in every worktree at once. `{id}`, `{title}`, `{branch}`,
                 `{worktree}` and `{description_file}` in the command are replaced, shell-quoted.
               - `gorch run <id> -- <agent command...>` per task: exit 0 with commits makes it
                 ready, anything else failed.
               - Or hand each coder agent its `worktree` path and the task-execution skill.
            6. Watch `gorch status --json` until each started task is `ready` or `failed`, then use
               the merge-coordinator skill. (`gorch loop --run '<agent command>' --validate '<test
               command>'` repeats batch, run and merge until nothing is ready or a person is needed.)
            """
    )

    static let taskExecution = Skill(
        name: "task-execution",
        description: "Implement one gorch task inside its own worktree, commit, and mark it ready with gorch done; also resolve a merge conflict handed back into that worktree. Use when you are the coder agent for a task (GORCH_TASK_ID is set, or you were given a .worktrees/wt-<id> path).",
        body: """
            # Task execution

            1. Work only in the task's worktree: `cd "$GORCH_WORKTREE"` (or the path you were given;
               `gorch start <id>` prints it). Never edit the main checkout or another task's worktree,
               never switch branches there.
            2. Read the task: its text (your prompt or the description file) and its scope:
               `gorch status --json` -> the entry with your `id` -> `scope` (globs).
            3. Change only files that match `scope`. If the task needs another file, do not edit it:
               stop and report which file and why (a parallel task may own it).
            4. Implement, run the project's build and tests, and commit with plain git:
               `git add <files>` then `git commit -m "<id>: <what changed>"`. Do not merge or
               rebase the target, push, or touch other branches.
            5. `gorch done --json` (in the worktree). Expect `"state": "ready"`.
               - Exit 1: uncommitted changes or no commit yet: commit, run it again.
               - `untracked[]`: commit the files that belong to the task, delete the rest.
               - `warnings[]` naming files outside the scope: report them.
            6. A conflict handed back (`gorch status --json` shows your task `conflicted`; the
               worktree has a merge in progress with conflict markers):
               - `git diff --name-only --diff-filter=U` lists the files. Edit each to keep both
                 sides' intent, remove every `<<<<<<<`, `=======`, `>>>>>>>` marker.
               - `git add <file>` for each, run the tests, `git commit --no-edit`.
               - Report back: the coordinator runs `gorch merge --continue`. Never run
                 `git merge --abort` or `gorch merge --abort` yourself.
            """
    )

    static let mergeCoordinator = Skill(
        name: "merge-coordinator",
        description: "Merge ready task branches into the target one at a time behind a validation gate, hand complex conflicts back or resolve them, continue or abort a stopped run, and sync the tracker. Use when tasks are ready (gorch status) or a merge run stopped.",
        body: """
            # Merge coordinator

            1. `gorch status --json`. `interrupted` not null: a run is open. With `reason`
               `conflict`, go to step 3; `interrupted` (its process died):
               `gorch merge --continue --json`. Nothing `ready`: stop.
            2. `gorch merge --validate '<build>' --validate '<tests>' --json` (without `--validate`
               the `gorch.validate` config is used). Add `--keep-going` to go past a failed task.
               Exit 0: every task in `tasks[]` has `outcome` `merged` or `up-to-date`; go to step 5.
            3. Exit 1: read `stopped` (`task`, `reason`, `worktree`, `paths`) and each task's
               `outcome`:
               - `conflicted`: the target is untouched; the conflict is in the task's `worktree`.
                 Hand it back to the task's coder agent (task-execution skill, step 6), or resolve
                 it there yourself (edit, `git add`, `git commit --no-edit`), or re-run with
                 `--resolve-with '<agent command>'` to let an agent resolve it in that worktree.
                 Then `gorch merge --continue --json`. Cannot be resolved:
                 `gorch merge --abort --json` (only that task goes back to `ready`; tasks already
                 merged stay merged).
               - `failed`: validation failed, target untouched; the output is in the task's `log`.
                 Hand the log to the coder agent; after its fix and `gorch done`, merge again.
               - `refused`: uncommitted changes in the target's checkout touch the merged files.
                 They are a person's: ask them to commit or stash, then re-run. Never discard them.
            4. Exit 3 naming an open run: finish it with `--continue` or `--abort` first. Exit 3
               naming a lock holder: another gorch is merging; wait and retry.
            5. `gorch status --json`: the merged tasks show `merged`, `interrupted` is
               null. After anyone merged or pulled with plain git, run `gorch sync --json`.
               Then use the batch-orchestration skill for the next batch.
            """
    )
}
