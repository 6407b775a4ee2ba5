import Foundation
import XCTest
import GocuaCore

/// The platform key store of a test: keys in memory, as the Keychain would hold them.
final class MemoryKeyStore: PlatformKeyStore, @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: Data] = [:]

    func load(name: String) throws -> Data? {
        lock.lock(); defer { lock.unlock() }
        return keys[name]
    }

    func save(name: String, key: Data) throws {
        lock.lock(); defer { lock.unlock() }
        keys[name] = key
    }

    func delete(name: String) throws {
        lock.lock(); defer { lock.unlock() }
        keys[name] = nil
    }

    var count: Int {
        lock.lock(); defer { lock.unlock() }
        return keys.count
    }
}

/// A locked key store: every call throws, as a locked Keychain does.
final class LockedKeyStore: PlatformKeyStore, @unchecked Sendable {
    func load(name: String) throws -> Data? { throw GocuaError.KeyStore(reason: "locked") }
    func save(name: String, key: Data) throws { throw GocuaError.KeyStore(reason: "locked") }
    func delete(name: String) throws { throw GocuaError.KeyStore(reason: "locked") }
}

/// A key store with a bug: it throws an error that is not a GocuaError.
final class BuggyKeyStore: PlatformKeyStore, @unchecked Sendable {
    struct Bug: Error {}
    func load(name: String) throws -> Data? { throw Bug() }
    func save(name: String, key: Data) throws { throw Bug() }
    func delete(name: String) throws { throw Bug() }
}

/// Ba Đình ward, Hà Nội (province 01, commune 00004).
let province = "01"
let commune = "00004"
let hamletName = "Tổ dân phố 5"

func tempDir() -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("gocua-swift-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func household(_ hamletId: String) -> HouseholdInput {
    HouseholdInput(
        provinceCode: province, communeCode: commune, hamletId: hamletId,
        street: "Đội Cấn", alley: "Ngõ 12", houseNumber: "5",
        gps: GpsFix(lat: 21.0337, lon: 105.8142, accuracyM: 8, fixedAt: Date(timeIntervalSinceNow: -60), source: .fix),
        official: nil, notes: nil)
}

func member(
    _ name: String, _ relation: Relation, birth: String? = nil, gender: Gender? = nil,
    idNumber: String? = nil, phone: String? = nil
) -> MemberInput {
    MemberInput(
        fullName: name, birth: birth, gender: gender, relation: relation,
        idNumber: idNumber, phone: phone, residence: .permanent)
}

/// The `GocuaError` that `body` throws; fails the test if it throws nothing or something else.
func thrown<T>(
    _ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> GocuaError? {
    do {
        _ = try body()
        XCTFail("expected a GocuaError, nothing was thrown", file: file, line: line)
    } catch let error as GocuaError {
        return error
    } catch {
        XCTFail("expected a GocuaError, got \(error)", file: file, line: line)
    }
    return nil
}

/// The validation issues of a thrown `GocuaError.Validation`, or a failure.
func validationIssues(
    _ error: GocuaError?, file: StaticString = #filePath, line: UInt = #line
) -> [ValidationIssue] {
    guard case .Validation(let issues, _) = error else {
        XCTFail("expected GocuaError.Validation, got \(String(describing: error))", file: file, line: line)
        return []
    }
    return issues
}

/// Reads lines from a pipe.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                return String(decoding: line, as: UTF8.self)
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}

enum FixtureError: Error { case failed(String) }

/// The hub and the second device (bindings/examples/hub_fixture.rs): a Rust process serving a
/// commune hub on 127.0.0.1 (port 0), driven one command per line. Its path comes from
/// GOCUA_HUB_FIXTURE.
final class HubFixture {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let reader: LineReader
    let url: String

    init(dir: URL) throws {
        guard let path = ProcessInfo.processInfo.environment["GOCUA_HUB_FIXTURE"] else {
            throw FixtureError.failed("GOCUA_HUB_FIXTURE is not set: run scripts/test-swift.sh")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [dir.path]
        process.standardInput = input
        process.standardOutput = output
        reader = LineReader(output.fileHandleForReading)
        try process.run()
        guard let first = reader.readLine(), first.hasPrefix("ready http://127.0.0.1:") else {
            throw FixtureError.failed("the hub fixture did not start")
        }
        url = String(first.dropFirst("ready ".count))
    }

    /// Sends one command; returns what follows `ok`, or throws on `err`.
    @discardableResult
    func send(_ command: String) throws -> String {
        input.fileHandleForWriting.write((command + "\n").data(using: .utf8)!)
        guard let answer = reader.readLine() else {
            throw FixtureError.failed("the hub fixture exited on: \(command)")
        }
        guard answer.hasPrefix("ok") else {
            throw FixtureError.failed("hub fixture, \(command): \(answer)")
        }
        return answer.dropFirst(2).trimmingCharacters(in: .whitespaces)
    }

    func stop() {
        _ = try? send("quit")
        process.waitUntilExit()
    }
}

/// Records the progress a sync reports; cancels it when `cancelAt` is reached.
final class ProgressRecorder: SyncProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Phase] = []
    private let cancelAt: Phase?
    private let cancellation: SyncCancellation?

    init(cancelAt: Phase? = nil, cancellation: SyncCancellation? = nil) {
        self.cancelAt = cancelAt
        self.cancellation = cancellation
    }

    func onProgress(phase: Phase, done: UInt64, total: UInt64) throws {
        lock.lock()
        seen.append(phase)
        lock.unlock()
        if phase == cancelAt { cancellation?.cancel() }
    }

    var phases: [Phase] {
        lock.lock(); defer { lock.unlock() }
        return seen
    }
}

extension GocuaRegister {
    /// Adds a member the way the consent rule demands: name and relation, then consent to every
    /// purpose (witnessed verbally, on the core's notice), then the fields it covers. A minor's
    /// consent comes from `guardian`.
    func addConsented(householdId: String, input: MemberInput, guardian: String? = nil) throws -> Saved {
        try addMemberWithConsent(
            householdId: householdId, input: input,
            purposes: ConsentPurposes(localRegister: true, setupHelp: true, shareWithCommune: true),
            noticeVersion: consentNoticeVersion(), method: .witnessedVerbal, guardianId: guardian)
    }
}
