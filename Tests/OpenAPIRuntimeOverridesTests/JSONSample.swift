import Foundation
import YizhanTesting

/// A JSON-shaped value that encodes itself through every part of the `Encoder` API: typed scalar
/// overloads, generic values, nested containers and the special Foundation types.
indirect enum JSONSample: Encodable {
    case null
    case bool(Bool)
    case int(Int)
    case int8(Int8)
    case uint64(UInt64)
    case double(Double)
    case float(Float)
    case string(String)
    case date(Date)
    case data(Data)
    case url(URL)
    case decimal(Decimal)
    case optional(Int?)
    /// Elements written with the unkeyed container's typed overloads where they are scalars.
    case array([JSONSample])
    /// Members written with the keyed container's typed overloads where they are scalars.
    case object([(String, JSONSample)])
    /// As a member or element: written through `nestedContainer`/`nestedUnkeyedContainer`.
    case nested(JSONSample)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try item.write(into: &container) }
        case .object(let members):
            var container = encoder.container(keyedBy: SampleKey.self)
            for (key, value) in members { try value.write(into: &container, key: SampleKey(key)) }
        case .nested(let inner):
            try inner.encode(to: encoder)
        default:
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .bool(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .int8(let value): try container.encode(value)
            case .uint64(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .float(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            case .date(let value): try container.encode(value)
            case .data(let value): try container.encode(value)
            case .url(let value): try container.encode(value)
            case .decimal(let value): try container.encode(value)
            case .optional(let value): try container.encode(value)
            case .array, .object, .nested: break
            }
        }
    }

    private func write(into container: inout some UnkeyedEncodingContainer) throws {
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .int8(let value): try container.encode(value)
        case .uint64(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .float(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .nested(.array(let items)):
            var nested = container.nestedUnkeyedContainer()
            for item in items { try item.write(into: &nested) }
        case .nested(.object(let members)):
            var nested = container.nestedContainer(keyedBy: SampleKey.self)
            for (key, value) in members { try value.write(into: &nested, key: SampleKey(key)) }
        default: try container.encode(self)
        }
    }

    private func write(into container: inout KeyedEncodingContainer<SampleKey>, key: SampleKey) throws {
        switch self {
        case .null: try container.encodeNil(forKey: key)
        case .bool(let value): try container.encode(value, forKey: key)
        case .int(let value): try container.encode(value, forKey: key)
        case .int8(let value): try container.encode(value, forKey: key)
        case .uint64(let value): try container.encode(value, forKey: key)
        case .double(let value): try container.encode(value, forKey: key)
        case .float(let value): try container.encode(value, forKey: key)
        case .string(let value): try container.encode(value, forKey: key)
        case .optional(let value): try container.encodeIfPresent(value, forKey: key)
        case .nested(.array(let items)):
            var nested = container.nestedUnkeyedContainer(forKey: key)
            for item in items { try item.write(into: &nested) }
        case .nested(.object(let members)):
            var nested = container.nestedContainer(keyedBy: SampleKey.self, forKey: key)
            for (key, value) in members { try value.write(into: &nested, key: SampleKey(key)) }
        default: try container.encode(self, forKey: key)
        }
    }

    /// A random value up to `depth` levels deep; `objects: false` builds arrays only, whose output
    /// has one order in every encoder.
    static func random(depth: Int, objects: Bool, using generator: inout SplitMix64) -> JSONSample {
        let kinds = depth == 0 ? 13 : (objects ? 16 : 14)
        switch generator.next(upTo: kinds) {
        case 0: return .null
        case 1: return .bool(generator.next(upTo: 2) == 0)
        case 2: return .int(Int(bitPattern: UInt(generator.next())) >> generator.next(upTo: 64))
        case 3: return .int8(Int8(truncatingIfNeeded: generator.next()))
        case 4: return .uint64(generator.next() >> generator.next(upTo: 64))
        case 5: return .double(randomDouble(using: &generator))
        case 6: return .float(Float(randomDouble(using: &generator)).clampedFinite)
        case 7, 8: return .string(randomString(using: &generator))
        case 9: return .date(Date(timeIntervalSince1970: Double(generator.next(upTo: 4_000_000_000))))
        case 10: return .data(Data((0..<generator.next(upTo: 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }))
        case 11:
            return .decimal(Decimal(Int(generator.next(upTo: 2_000_000)) - 1_000_000) / pow(10, generator.next(upTo: 6)))
        case 12: return .optional(generator.next(upTo: 2) == 0 ? nil : Int(generator.next(upTo: 1000)))
        case 13:
            let items = (0..<generator.next(upTo: 5)).map { _ in random(depth: depth - 1, objects: objects, using: &generator) }
            return generator.next(upTo: 3) == 0 ? .nested(.array(items)) : .array(items)
        default:
            var members: [(String, JSONSample)] = []
            var used = Set<String>()
            for _ in 0..<generator.next(upTo: 6) {
                let key = randomString(using: &generator)
                guard used.insert(key).inserted else { continue }
                members.append((key, random(depth: depth - 1, objects: objects, using: &generator)))
            }
            return generator.next(upTo: 3) == 0 ? .nested(.object(members)) : .object(members)
        }
    }

    static func randomDouble(using generator: inout SplitMix64) -> Double {
        let special: [Double] = [0, -0.0, 1, -1, 0.1, 1e20, 1e21, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123_456_789_012_345_680]
        if generator.next(upTo: 3) == 0 { return special[generator.next(upTo: special.count)] }
        let value = Double(bitPattern: generator.next())
        return value.isFinite ? value : Double(generator.next(upTo: 1_000_000)) / 7
    }

    /// ASCII with every character JSON escapes, Chinese, and characters outside the BMP.
    static func randomString(using generator: inout SplitMix64) -> String {
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
                      "é", "驿站", "\u{2028}", "😀", "key"]
        return (0..<generator.next(upTo: 8)).map { _ in pieces[generator.next(upTo: pieces.count)] }.joined()
    }
}

struct SampleKey: CodingKey {
    let stringValue: String
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

extension Float {
    /// Large doubles become infinite floats; keep them finite.
    fileprivate var clampedFinite: Float { isFinite ? self : .greatestFiniteMagnitude }
}
