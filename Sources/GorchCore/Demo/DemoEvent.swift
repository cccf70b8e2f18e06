/// What `gorch demo` shows, step by step; the CLI renders each.
public enum DemoEvent: Sendable {
    /// A new part of the story.
    case heading(String)
    /// The gorch command a person would type for this step.
    case command(String)
    /// What happened.
    case info(String)
    case merge(MergeEvent)
    case mergeReport(MergeReport)
    case status(StatusReporter.Report)
    /// The target's history at the end, newest first (short id, summary).
    case history([(String, String)])
}
