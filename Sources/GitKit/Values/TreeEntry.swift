/// One entry of a tree, as a value.
public struct TreeEntry: Hashable, Sendable {
    public let name: String
    public let oid: OID
    public let mode: FileMode
}

/// A git file mode as stored in trees.
public struct FileMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let tree = FileMode(rawValue: 0o040000)
    public static let blob = FileMode(rawValue: 0o100644)
    public static let executable = FileMode(rawValue: 0o100755)
    public static let symlink = FileMode(rawValue: 0o120000)
    public static let gitlink = FileMode(rawValue: 0o160000)

    public var isTree: Bool { self == .tree }
    public var isRegularFile: Bool { self == .blob || self == .executable }
    public var description: String { String(rawValue, radix: 8) }
}

/// A commit, as a value.
public struct CommitInfo: Hashable, Sendable {
    public let oid: OID
    public let tree: OID
    public let parents: [OID]
    /// Committer time, seconds since the epoch (what git orders commits by).
    public let time: Int64
    public let summary: String
    public let message: String
}
