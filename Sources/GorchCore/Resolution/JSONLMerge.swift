import Foundation

/// Merges legacy Beads `.beads/issues.jsonl` files by issue id: one JSON object per line, each
/// with a string "id". Lines are kept byte for byte (never re-serialised), and no id appears twice.
///
/// Per id, three-way: a record changed on one side only takes that side; changed on both, the
/// newer `updated_at` wins (RFC 3339, compared as instants; equal or unparsable: ours). Deleted
/// on one side and unchanged on the other: stays deleted; deleted on one side and modified on the
/// other: the modified record is kept. Output: ours' records in ours' order, then the ids only
/// theirs has, in theirs' order; every line ends with "\n".
public enum JSONLMerge {
    /// nil when a non-blank line is not a JSON object with a string "id" (on any side).
    public static func resolve(base: [UInt8], ours: [UInt8], theirs: [UInt8]) -> [UInt8]? {
        guard let base = Side(base), let ours = Side(ours), let theirs = Side(theirs) else { return nil }
        var kept: [[UInt8]] = []
        var seen = Set<String>()
        for id in ours.order {
            seen.insert(id)
            if let line = merged(id, base: base.records[id], ours: ours.records[id], theirs: theirs.records[id]) {
                kept.append(line.bytes)
            }
        }
        for id in theirs.order where !seen.contains(id) {
            if let line = merged(id, base: base.records[id], ours: nil, theirs: theirs.records[id]) {
                kept.append(line.bytes)
            }
        }
        return kept.flatMap { $0 + [UInt8(ascii: "\n")] }
    }

    private static func merged(_ id: String, base: Record?, ours: Record?, theirs: Record?) -> Record? {
        switch (ours, theirs) {
        case (nil, nil):
            return nil
        case (let only?, nil), (nil, let only?):
            // Present on one side: added there (no base), or deleted on the other. A deletion
            // wins over an unchanged record and loses to a modified one.
            guard let base else { return only }
            return only.bytes == base.bytes ? nil : only
        case (let o?, let t?):
            if o.bytes == t.bytes { return o }
            if let base, o.bytes == base.bytes { return t }
            if let base, t.bytes == base.bytes { return o }
            if let ot = o.updatedAt, let tt = t.updatedAt, tt > ot { return t }
            return o
        }
    }

    /// One issue line: its bytes without the newline, and its `updated_at` when it parses.
    struct Record {
        let bytes: [UInt8]
        let updatedAt: RFC3339Instant?
    }

    /// A whole file: records by id and the ids in file order.
    struct Side {
        var records: [String: Record] = [:]
        var order: [String] = []

        init?(_ text: [UInt8]) {
            for raw in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                var line = Array(raw)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let id = object["id"] as? String else { return nil }
                let record = Record(bytes: Array(raw), updatedAt: (object["updated_at"] as? String).flatMap(RFC3339Instant.init))
                if let earlier = records[id] {
                    // A file that already repeats an id (an earlier bad merge): keep one record,
                    // the newest, where the id first appeared.
                    if let new = record.updatedAt, let old = earlier.updatedAt, new > old { records[id] = record }
                } else {
                    records[id] = record
                    order.append(id)
                }
            }
        }
    }
}

/// An RFC 3339 date-time (`2024-05-01T12:00:00.123456789+02:00`, `...Z`) as an instant: seconds
/// since the epoch and nanoseconds, so offsets and any number of fraction digits compare exactly.
struct RFC3339Instant: Comparable {
    let seconds: Int64
    let nanoseconds: Int64

    init?(_ text: String) {
        let b = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= b.count else { return nil }
            var value: Int64 = 0
            for k in i..<(i + digits) {
                guard (48...57).contains(b[k]) else { return nil }
                value = value * 10 + Int64(b[k] - 48)
            }
            i += digits
            return value
        }
        func expect(_ options: String) -> Bool {
            guard i < b.count, options.utf8.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var nanos: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, (48...57).contains(b[i]) {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        var offset: Int64 = 0
        if expect("Zz") {
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2), expect(":"), let om = number(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        seconds = Self.daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
        nanoseconds = nanos
    }

    static func < (a: Self, b: Self) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
