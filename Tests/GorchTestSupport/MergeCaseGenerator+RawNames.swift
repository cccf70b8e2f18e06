import Foundation
import GitKit

/// Names that are not UTF-8: the Latin-1 spelling of an accented letter is one byte (é is 0xE9,
/// the scalar's own value), invalid as UTF-8. Such names are `RawPath` escapes in the model and
/// raw bytes in the repository (FastImport quotes them in octal). Next to the UTF-8 and NFD
/// spellings the normalization twins produce, a side's Latin-1 rename often meets the other
/// side's UTF-8 one: three byte-different names for one word.
extension CaseBuilder {
    /// `name` with its first precomposed twin letter turned into its Latin-1 byte, or with a
    /// Latin-1 letter inserted before its extension.
    func latin1(_ name: String) -> String {
        var scalars = Array(name.unicodeScalars)
        if let at = scalars.firstIndex(where: { s in Self.twinLetters.contains { $0.composed == s } }) {
            let prefix = String(String.UnicodeScalarView(scalars[..<at]))
            let suffix = String(String.UnicodeScalarView(scalars[(at + 1)...]))
            return RawPath.decode(Array(prefix.utf8) + [UInt8(scalars[at].value)] + Array(suffix.utf8))
        }
        let letter = rng.pick(Self.twinLetters) ?? Self.twinLetters[0]
        let dot = scalars.lastIndex(of: ".").flatMap { $0 > 0 ? $0 : nil } ?? scalars.count
        scalars.insert(letter.composed, at: dot)
        return latin1(String(String.UnicodeScalarView(scalars)))
    }

    func rawByteName() -> String? {
        switch rng.int(in: 0...5) {
        case 0...2:
            // A (hot) file renamed to a Latin-1 name: the other side may edit, rename or accent it.
            guard let source = pickFile(hot: 0.6) else { return nil }
            return moveFile(source, to: join(parentDir(source), latin1(baseName(source))), note: "latin-1 rename")
        case 3...4:
            // A shared add under a Latin-1 name; the other side may add the UTF-8 spelling.
            guard let shared = rng.pick(plan.sharedAdds) else { return nil }
            let path = join(parentDir(shared.path), latin1(baseName(shared.path)))
            guard tree.isFree(path) else { return nil }
            tree.put(path, rng.chance(0.6) ? FileEntry(content: .text(shared.lines)) : textEntry())
            return "latin-1 add \(Self.shown(path))"
        default:
            // A directory renamed to a Latin-1 name.
            guard let dir = pickDir(hot: 0.6) else { return nil }
            let dest = join(parentDir(dir), latin1(baseName(dir)))
            guard let moved = moveDirectory(dir, to: dest) else { return nil }
            return "latin-1 dir \(Self.shown(dir))/ -> \(Self.shown(dest))/ (\(moved) files)"
        }
    }
}
