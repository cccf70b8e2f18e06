import ArgumentParser

/// A gorch subcommand: it sees the global options merged from both sides of its name.
///
/// Conformers declare `@OptionGroup(title: "Global Options") var local: GlobalOptions` and
/// `@ParentCommand var root: Gorch`; argument-parser fills the group nearest to where the user
/// wrote each option, so both have to be read.
protocol GorchCommand: AsyncParsableCommand {
    var local: GlobalOptions { get }
    var root: Gorch { get }
    /// Whether errors go to stdout as a JSON document. A requirement (not only an extension
    /// method) so a command whose output is always JSON can say so through an existential.
    var wantsJSON: Bool { get }
}

extension GorchCommand {
    /// The global options, the subcommand's own spelling winning over the root's.
    var global: GlobalOptions { local.merged(over: root.global) }

    var wantsJSON: Bool { global.json }
}
