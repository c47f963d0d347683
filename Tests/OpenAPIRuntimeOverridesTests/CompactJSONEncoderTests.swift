import Foundation
import OpenAPIRuntimeOverrides
import Testing
import YizhanCore
import YizhanTesting

@Suite
struct CompactJSONEncoderTests {
    /// Foundation's encoder with the settings CompactJSONEncoder reproduces.
    static func foundation(escapesSlashes: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapesSlashes ? [] : [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601))
        }
        return encoder
    }

    static func text(_ bytes: some Sequence<UInt8>) -> String { String(decoding: Array(bytes), as: UTF8.self) }

    /// The same value after a round trip through JSONSerialization with sorted keys: equal when the
    /// two documents hold the same JSON, whatever their key order.
    static func canonical(_ bytes: [UInt8]) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return text(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]))
    }

    @Test(arguments: 0..<400)
    func arraysComeOutByteForByteAsFoundationWritesThem(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed))
        let value = JSONSample.random(depth: 4, objects: false, using: &generator)
        let escapes = seed % 4 == 0
        let ours = try CompactJSONEncoder(escapesSlashes: escapes).encode(value)
        let theirs = try Self.foundation(escapesSlashes: escapes).encode(value)
        #expect(Self.text(ours) == Self.text(theirs), "seed \(seed)")
    }

    @Test(arguments: 0..<400)
    func objectsHoldTheSameJSONAsFoundations(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed) &+ 1_000_000)
        let value = JSONSample.random(depth: 4, objects: true, using: &generator)
        let ours = try CompactJSONEncoder().encode(value)
        let theirs = Array(try Self.foundation().encode(value))
        #expect(try Self.canonical(ours) == Self.canonical(theirs), "seed \(seed)")
    }

    @Test
    func membersComeOutInTheOrderTheValueEncodesThem() throws {
        struct Envelope: Encodable {
            struct Meta: Encodable { let request_id: String; let timestamp: String }
            let success: Bool
            let data: [String]
            let meta: Meta
        }
        let value = Envelope(success: true, data: ["a/b", "驿站"], meta: .init(request_id: "r1", timestamp: "t"))
        #expect(
            Self.text(try CompactJSONEncoder().encode(value))
                == #"{"success":true,"data":["a/b","驿站"],"meta":{"request_id":"r1","timestamp":"t"}}"#)
    }

    @Test
    func aValueThatEncodesNothingIsAnEmptyObjectAndNilIsNull() throws {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        #expect(Self.text(try CompactJSONEncoder().encode(Nothing())) == "{}")
        #expect(Self.text(try CompactJSONEncoder().encode([Nothing(), Nothing()])) == "[{},{}]")
        #expect(Self.text(try CompactJSONEncoder().encode(Int?.none)) == "null")
    }

    @Test
    func aKeyWrittenTwiceKeepsTheLastValueAsFoundationDoes() throws {
        struct Twice: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: SampleKey.self)
                try container.encode(1, forKey: SampleKey("a"))
                try container.encode("x", forKey: SampleKey("b"))
                try container.encode(2, forKey: SampleKey("a"))
            }
        }
        let ours = try CompactJSONEncoder().encode(Twice())
        #expect(try Self.canonical(ours) == #"{"a":2,"b":"x"}"#)
    }

    @Test
    func aNestedContainerWrittenAfterItsSiblingStillLandsInPlace() throws {
        struct Interleaved: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: SampleKey.self)
                var nested = container.nestedContainer(keyedBy: SampleKey.self, forKey: SampleKey("inner"))
                try container.encode(1, forKey: SampleKey("after"))
                try nested.encode(2, forKey: SampleKey("late"))
            }
        }
        let ours = try CompactJSONEncoder().encode(Interleaved())
        #expect(try Self.canonical(ours) == #"{"after":1,"inner":{"late":2}}"#)
    }

    @Test
    func superEncoderAndARepeatedKeyedContainerWorkAsInFoundation() throws {
        struct Base: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: SampleKey.self)
                try container.encode("base", forKey: SampleKey("kind"))
            }
        }
        struct Derived: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: SampleKey.self)
                try container.encode(7, forKey: SampleKey("own"))
                try Base().encode(to: encoder)  // the superclass pattern: same encoder, same container
            }
        }
        struct WithSuper: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: SampleKey.self)
                try container.encode(7, forKey: SampleKey("own"))
                try Base().encode(to: container.superEncoder())
            }
        }
        #expect(Self.text(try CompactJSONEncoder().encode(Derived())) == #"{"own":7,"kind":"base"}"#)
        let ours = try CompactJSONEncoder().encode(WithSuper())
        #expect(try Self.canonical(ours) == Self.canonical(Array(Self.foundation().encode(WithSuper()))))
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteNumberIsRefusedWithItsPath(value: Double) throws {
        let sample = JSONSample.object([("outer", .array([.int(1), .double(value)]))])
        var ourError: EncodingError?
        do { _ = try CompactJSONEncoder().encode(sample) } catch let error as EncodingError { ourError = error }
        var theirError: EncodingError?
        do { _ = try Self.foundation().encode(sample) } catch let error as EncodingError { theirError = error }
        guard case .invalidValue(_, let ours) = try #require(ourError),
            case .invalidValue(_, let theirs) = try #require(theirError)
        else { Issue.record("expected invalidValue"); return }
        #expect(ours.codingPath.map(\.stringValue) == theirs.codingPath.map(\.stringValue))
        #expect(ours.codingPath.map(\.stringValue) == ["outer", "Index 1"])
    }

    @Test
    func nestedEncodersReportTheirFullCodingPath() throws {
        final class Recorder: @unchecked Sendable { var paths: [[String]] = [] }
        struct Leaf: Encodable {
            let recorder: Recorder
            func encode(to encoder: any Encoder) throws {
                recorder.paths.append(encoder.codingPath.map(\.stringValue))
                var container = encoder.singleValueContainer()
                try container.encode(1)
            }
        }
        struct Tree: Encodable {
            let recorder: Recorder
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: SampleKey.self)
                try container.encode(Leaf(recorder: recorder), forKey: SampleKey("a"))
                var list = container.nestedUnkeyedContainer(forKey: SampleKey("list"))
                try list.encode(Leaf(recorder: recorder))
                try list.encode(Leaf(recorder: recorder))
                try container.encode([["deep": Leaf(recorder: recorder)]], forKey: SampleKey("b"))
            }
        }
        let ours = Recorder()
        let theirs = Recorder()
        _ = try CompactJSONEncoder().encode(Tree(recorder: ours))
        _ = try Self.foundation().encode(Tree(recorder: theirs))
        #expect(ours.paths == [["a"], ["list", "Index 0"], ["list", "Index 1"], ["b", "Index 0", "deep"]])
        // Foundation leaves the key of a nested container out of its elements' paths; elsewhere
        // the two agree.
        #expect(theirs.paths[1] == ["Index 0"])
        #expect([ours.paths[0], ours.paths[3]] == [theirs.paths[0], theirs.paths[3]])
    }

    @Test
    func errorEnvelopesReadTheSameEveryTimeWithDetailsInKeyOrder() throws {
        let error = YizhanError(
            .conflict, "Taken.", details: ["zone": 1, "field": "email", "nested": .object(["b": 2, "a": .array([.null, true])])])
        var meta = ResponseMeta(requestID: "r1", timestamp: "2026-12-01T00:00:00Z")
        meta.timestamp = "t"
        let expected = #"{"success":false,"error":{"code":"CONFLICT","message":"Taken.","details":"#
            + #"{"field":"email","nested":{"a":[null,true],"b":2},"zone":1}},"meta":{"request_id":"r1","timestamp":"t"}}"#
        for _ in 0..<5 {
            #expect(Self.text(try CompactJSONEncoder().encode(ResponseEnvelope<EmptyPayload>.failure(error, meta: meta))) == expected)
        }
    }

    @Test
    func datesUseTheGivenEncoding() throws {
        let encoder = CompactJSONEncoder(dateEncoding: { _ in "then" })
        #expect(Self.text(try encoder.encode(["at": Date(timeIntervalSince1970: 0)])) == #"{"at":"then"}"#)
        #expect(Self.text(try CompactJSONEncoder().encode([Date(timeIntervalSince1970: 0)])) == #"["1970-01-01T00:00:00Z"]"#)
    }

    @Test(arguments: 0..<200)
    func arbitraryUnicodeStringsAreEscapedAsFoundationEscapesThem(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed) &+ 7_000_000)
        let scalars = (0..<generator.next(upTo: 40)).compactMap { _ -> Character? in
            let raw = generator.next(upTo: 4) == 0 ? generator.next(upTo: 0x11_0000) : generator.next(upTo: 0x100)
            return Unicode.Scalar(UInt32(raw)).map(Character.init)
        }
        let value = [String(scalars)]
        #expect(Self.text(try CompactJSONEncoder().encode(value)) == Self.text(try Self.foundation().encode(value)))
    }
}
