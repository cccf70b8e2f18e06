internal import CLibGit2

/// A libgit2 failure: the function that failed and libgit2's own message.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        case notFound, exists, ambiguous, locked, refMoved, conflict, uncommitted, invalidSpec, unbornBranch
        case bareRepository, other(Int32)

        init(_ rc: Int32) {
            switch rc {
            case GIT_ENOTFOUND.rawValue: self = .notFound
            case GIT_EEXISTS.rawValue: self = .exists
            case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
            case GIT_ELOCKED.rawValue: self = .locked
            case GIT_EMODIFIED.rawValue: self = .refMoved
            case GIT_ECONFLICT.rawValue, GIT_EMERGECONFLICT.rawValue: self = .conflict
            case GIT_EUNCOMMITTED.rawValue: self = .uncommitted
            case GIT_EINVALIDSPEC.rawValue: self = .invalidSpec
            case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
            case GIT_EBAREREPO.rawValue: self = .bareRepository
            default: self = .other(rc)
            }
        }
    }

    public let code: Code
    public let function: String
    public let message: String

    public init(code: Code, function: String, message: String) {
        self.code = code
        self.function = function
        self.message = message
    }

    public var description: String { "\(function): \(message)" }
}

/// Turns a libgit2 return code into a thrown `GitError`.
/// `git_error_last()` is per thread, so it is read here, synchronously, right after the call.
@discardableResult
func check(_ rc: Int32, _ function: String) throws -> Int32 {
    guard rc < 0 else { return rc }
    let message = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "libgit2 error \(rc)"
    throw GitError(code: .init(rc), function: function, message: message)
}
