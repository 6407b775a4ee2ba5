import Foundation
import XCTest
import GocuaCore
@testable import GocuaKit

/// The Keychain of a test.
final class MemoryStore: SecureStore, @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: Data] = [:]
    func read(_ name: String) throws -> Data? { lock.lock(); defer { lock.unlock() }; return items[name] }
    func write(_ name: String, _ data: Data) throws { lock.lock(); items[name] = data; lock.unlock() }
    func remove(_ name: String) throws { lock.lock(); items[name] = nil; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
}

/// CoreLocation of a test: answers each request with the next result.
final class FakeLocation: LocationProvider {
    var results: [LocationResult]
    init(_ results: [LocationResult]) { self.results = results }
    func requestFix(_ done: @escaping (LocationResult) -> Void) { done(results.removeFirst()) }
}

func scratch() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gocuakit-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func fix(accuracy: Double) -> GpsFix {
    GpsFix(lat: 21.0337, lon: 105.8142, accuracyM: accuracy, fixedAt: Date(timeIntervalSinceNow: -20), source: .fix)
}

extension XCTestCase {
    /// Does `action` on the main thread and waits until the page has `answers` more answers from
    /// the core (each arrives on the main queue).
    func settle<V>(_ page: Page<V>, answers: Int = 1, file: StaticString = #filePath, line: UInt = #line, _ action: () -> Void) {
        let target = page.answers + answers
        action()
        let deadline = Date(timeIntervalSinceNow: 60)
        while page.answers < target && Date() < deadline {
            RunLoop.main.run(until: Date(timeIntervalSinceNow: 0.01))
        }
        XCTAssertGreaterThanOrEqual(page.answers, target, "the core did not answer", file: file, line: line)
    }

    /// Waits for `done` to become true while the main queue runs.
    func until(_ done: () -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date(timeIntervalSinceNow: 60)
        while !done() && Date() < deadline { RunLoop.main.run(until: Date(timeIntervalSinceNow: 0.01)) }
        XCTAssertTrue(done(), "timed out", file: file, line: line)
    }
}

/// A phone enrolled with a hub on 127.0.0.1 through the enrol page (from a `gocua://pair` link).
final class Phone {
    let dir: URL
    let hub: HubFixture
    let app: AppState
    let keychain = MemoryStore()
    let register: GocuaRegister
    let hamletId: String

    init(_ test: XCTestCase, lang: Language = .vi) throws {
        dir = scratch()
        hub = try HubFixture(dir: dir.appendingPathComponent("hub"))
        app = AppState(directory: dir, store: keychain, lang: lang)
        let enrol = EnrolPage(app: app)
        let hubParam = hub.url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let link = "gocua://pair?hub=\(hubParam)&code=\(try hub.send("pair vol-01"))&commune=00004"
        test.settle(enrol) { enrol.payload(link) }
        test.settle(enrol) { enrol.set("volunteer", "vol-01") }
        test.settle(enrol) { enrol.enrol() }
        guard enrol.enrolled else { throw FixtureError.failed("not enrolled: \(enrol.notices)") }
        register = try app.open()
        hamletId = try register.hamlets(communeCode: "00004").first!.id
    }

    /// A household of the hamlet, saved directly in the register.
    func household() throws -> String { try register.createHousehold(input: GocuaKitTests.household(hamletId)).id }

    func stop() { hub.stop() }
}
