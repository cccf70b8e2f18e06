/// The end of a command's combined output: at most `limit` bytes kept, split into the last lines.
struct OutputTail: Sendable {
    static let byteLimit = 64 << 10
    static let lineLimit = 20

    private(set) var bytes: [UInt8] = []
    /// True once bytes have been dropped from the front: the first line kept is then partial.
    private(set) var isCut = false

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
        // Trim in batches so a stream of small chunks stays linear.
        if bytes.count > 2 * Self.byteLimit { trim() }
    }

    mutating func trim() {
        guard bytes.count > Self.byteLimit else { return }
        bytes.removeFirst(bytes.count - Self.byteLimit)
        isCut = true
    }

    /// The last `lineLimit` lines, without the partial first line of a cut buffer.
    static func lines(of bytes: [UInt8], isCut: Bool) -> [String] {
        guard !bytes.isEmpty else { return [] }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if bytes.last == UInt8(ascii: "\n") { lines.removeLast() }
        if isCut, !lines.isEmpty { lines.removeFirst() }
        return lines.suffix(lineLimit).map { line in
            let text = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            return String(decoding: text, as: UTF8.self)
        }
    }

    var lines: [String] {
        var copy = self
        copy.trim()
        return Self.lines(of: copy.bytes, isCut: copy.isCut)
    }
}
