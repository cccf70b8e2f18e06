internal import CLibGit2
import Foundation

/// Lends `strings` to libgit2 as a `git_strarray`: each string is copied (`strdup`) and freed once
/// `body` returns, so the array never outlives the copies it points at.
func withStringArray<T>(_ strings: [String], _ body: (inout git_strarray) throws -> T) throws -> T {
    var copies: [UnsafeMutablePointer<CChar>?] = []
    copies.reserveCapacity(strings.count)
    defer { copies.forEach { free($0) } }
    for string in strings {
        guard let copy = RawPath.withCString(string, { strdup($0) }) else {
            throw GitError(code: .other(-1), function: "strdup", message: "out of memory copying \(string)")
        }
        copies.append(copy)
    }
    return try copies.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}

/// Lends an optional string as a C string, or NULL.
func withOptionalCString<T>(_ string: String?, _ body: (UnsafePointer<CChar>?) throws -> T) rethrows -> T {
    guard let string else { return try body(nil) }
    return try string.withCString { try body($0) }
}

/// The strings of a `git_strarray` libgit2 filled in (the caller disposes of the array).
func gitStrings(_ array: git_strarray) -> [String] {
    guard let base = array.strings else { return [] }
    return (0..<array.count).compactMap { base[$0].map { RawPath.decode($0) } }
}
