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

/// A volunteer's whole visit, screen model by screen model, against a commune hub on 127.0.0.1
/// (bindings/examples/hub_fixture.rs through HubFixture of the bindings' Swift tests).
final class VisitTests: XCTestCase {
    override func setUp() { setvbuf(stdout, nil, _IOLBF, 0) }

    func testAWholeVisit() throws {
        let dir = scratch()
        let hub = try HubFixture(dir: dir.appendingPathComponent("hub"))
        defer { hub.stop() }
        let keychain = MemoryStore()
        let app = AppState(directory: dir, store: keychain)
        XCTAssertFalse(app.hasRegister)

        // Enrol: a wrong QR code, then the coordinator's; volunteer id and commune.
        let enrol = EnrolScreen(app: app)
        XCTAssertFalse(enrol.canSubmit)
        enrol.scanned("https://example.com")
        XCTAssertEqual(enrol.scanMessage, "Mã QR này không phải mã ghép máy của xã.")
        enrol.scanned("GOCUA-PAIR:1:\(try hub.send("pair vol-01")):\(hub.url)")
        XCTAssertEqual(enrol.scanMessage, "Đã đọc mã ghép.")
        XCTAssertEqual(enrol.missing, ["Mã tình nguyện viên", "Xã/phường"])
        enrol.volunteerId = "vol-01"
        enrol.commune = enrol.findCommune("ba dinh").first { $0.code == "00004" }
        XCTAssertTrue(enrol.canSubmit)
        enrol.submit()
        guard case .enrolled(_, let hamletNames) = enrol.state else { return XCTFail(enrol.summary) }
        XCTAssertTrue(enrol.summary.hasPrefix("Đã ghép máy. Địa bàn:"), enrol.summary)
        XCTAssertFalse(hamletNames.isEmpty)
        XCTAssertEqual(keychain.count, 1, "the register's key is in the Keychain")

        // My area: empty.
        let area = AreaScreen(app: app, today: "2026-03-10")
        area.load()
        XCTAssertNil(area.error)
        XCTAssertEqual(area.header, "0 hộ · 0 chưa đồng bộ · 0 cần thăm lại")

        // Register: no fix, then a poor fix (a warning beside the position, accepted), Plus Code at once.
        let hamletId = try app.open().hamlets(communeCode: "00004").first!.id
        let flow = RegisterFlow(app: app, location: FakeLocation([
            .unavailable("GPS off"),
            .fix(Position(lat: 21.0337, lon: 105.8142, accuracyM: 80, at: Date(timeIntervalSinceNow: -5))),
        ]))
        XCTAssertEqual(flow.stepTitle, "Bước 1/4 · Địa chỉ và vị trí")
        flow.hamletId = hamletId
        flow.street = "Đội Cấn"; flow.alley = "Ngõ 12"; flow.houseNumber = "5"
        flow.locate()
        XCTAssertEqual(flow.positionText, "Không lấy được vị trí: GPS off. Thử lại hoặc ghim trên bản đồ.")
        XCTAssertNil(flow.plusCode)
        flow.locate()
        XCTAssertEqual(flow.positionText, "21.03370, 105.81420 · Độ chính xác ±80 m")
        XCTAssertEqual(flow.plusCode, plusCode(lat: 21.0337, lon: 105.8142))
        XCTAssertEqual(flow.issues.messages(for: "digital_address.gps").count, 1)
        flow.saveAddress()
        XCTAssertEqual(flow.step, .address, "the first tap shows the warning")
        XCTAssertNotNil(flow.warningPrompt)
        flow.saveAddress()
        XCTAssertEqual(flow.step, .members, "the second accepts it: \(flow.issues.all) \(flow.error ?? "")")
        let hid = try XCTUnwrap(flow.householdId)

        // Members: a bad ID number beside its field, then right; a second member.
        flow.memberName = "Nguyễn Văn An"; flow.memberBirth = "1990-05-01"; flow.memberGender = .male
        flow.memberIdNumber = "00109001234"
        flow.addMember()
        XCTAssertEqual(flow.issues.messages(for: "member.id_number"), ["⛔ Số định danh cá nhân phải gồm đúng 12 chữ số."])
        XCTAssertTrue(flow.members.isEmpty)
        flow.memberIdNumber = "001090012345"
        flow.addMember()
        XCTAssertEqual(flow.members.map(\.name), ["Nguyễn Văn An"], "\(flow.issues.all)")
        XCTAssertEqual(flow.memberRelation, .child)
        flow.memberName = "Trần Thị Hoa"; flow.memberRelation = .wife; flow.memberBirth = "1992"; flow.memberGender = .female
        flow.addMember()
        XCTAssertEqual(flow.members.count, 2)

        // Leaving half-way keeps a draft.
        let again = RegisterFlow(app: app, location: FakeLocation([]))
        again.restore(flow.draft)
        XCTAssertEqual(again.step, .members)
        XCTAssertEqual(again.householdId, hid)
        XCTAssertEqual(again.members.map(\.name), ["Nguyễn Văn An", "Trần Thị Hoa"])

        // Consent of each person, then the checklist step.
        flow.membersDone()
        XCTAssertEqual(flow.step, .consent)
        XCTAssertEqual(flow.asking?.name, "Nguyễn Văn An")
        flow.method = .signatureOnScreen
        flow.recordConsent()
        XCTAssertNil(flow.error)
        XCTAssertEqual(flow.consentProgress, "Đồng ý: 1/2 người")
        flow.method = .witnessedVerbal
        flow.recordConsent()
        XCTAssertEqual(flow.step, .checklist)
        let members = try app.open().household(householdId: hid).members
        XCTAssertTrue(members.allSatisfy { $0.consent != nil })

        // Checklist with guided steps; failed needs a reason; VNeID level 2 is a referral.
        let an = try XCTUnwrap(members.first { $0.fullName == "Nguyễn Văn An" }).id
        let checklist = ChecklistScreen(app: app, householdId: hid, memberId: an)
        checklist.load()
        XCTAssertEqual(checklist.memberName, "Nguyễn Văn An")
        XCTAssertTrue(checklist.progress.hasPrefix("5 kỹ năng: 0/"), checklist.progress)
        checklist.openItem(.vneidLevel1)
        XCTAssertGreaterThanOrEqual(checklist.steps.count, 3)
        XCTAssertTrue(checklist.steps.first?.hasPrefix("1. ") ?? false)
        checklist.choose(.failed)
        XCTAssertTrue(checklist.needsReason)
        XCTAssertFalse(checklist.canSave)
        checklist.reason = "không có sóng"
        checklist.save()
        XCTAssertEqual(checklist.status(.vneidLevel1), .failed)
        checklist.openItem(.vneidInstalled)
        checklist.choose(.done)
        checklist.save()
        XCTAssertNil(checklist.error)
        XCTAssertEqual(checklist.status(.vneidInstalled), .done)
        XCTAssertTrue(checklist.progress.contains("đạt: 1/"), checklist.progress)
        checklist.openItem(.vneidLevel2)
        XCTAssertEqual(checklist.buttons.first { $0.status == .referred }?.label, "Đã chuyển công an xã")
        checklist.choose(.referred)
        checklist.save()
        XCTAssertEqual(checklist.status(.vneidLevel2), .referred)

        // The card: QR payload and Plus Code; the ID number masked.
        let card = CardScreen(app: app, householdId: hid)
        try card.load()
        XCTAssertEqual(card.card?.plusCode, flow.plusCode)
        XCTAssertTrue(card.memberLines.contains("Nguyễn Văn An · ••••••••2345"), "\(card.memberLines)")
        XCTAssertFalse(card.memberLines.joined().contains("001090012345"))
        XCTAssertFalse(card.shareText.contains("Nguyễn"))
        XCTAssertEqual(card.visitChoices.count, 4)
        try card.recordVisit(.followUpNeeded, followUpOn: "2026-03-05", today: "2026-03-01")

        // My area: the household, unsynced; search without diacritics.
        area.load()
        XCTAssertEqual(area.rows.count, 1)
        let row = try XCTUnwrap(area.rows.first)
        XCTAssertEqual(row.title, "Nguyễn Văn An")
        XCTAssertTrue(row.unsynced)
        XCTAssertEqual(area.header, "1 hộ · 1 chưa đồng bộ · 1 cần thăm lại")
        area.followUpsOnly = true
        XCTAssertEqual(area.rows.map(\.id), [hid])
        XCTAssertEqual(area.rows.first?.followUpDue, true)
        area.followUpsOnly = false
        area.search("nguyen van an")
        XCTAssertEqual(area.rows.map(\.id), [hid])
        area.search("khong co ai")
        XCTAssertTrue(area.rows.isEmpty)

        // Sync with progress; the outcome in words; the household is on the hub.
        let sync = SyncScreen(app: app)
        sync.refresh()
        XCTAssertEqual(sync.outcome, "1 hộ chưa đồng bộ.")
        sync.start()
        XCTAssertEqual(sync.outcome, "Đồng bộ xong: đã gửi 1 hộ, nhận 0 hộ thay đổi.")
        XCTAssertTrue(sync.seenPhases.contains(.sending), "\(sync.seenPhases)")
        XCTAssertTrue(sync.rejectedLines.isEmpty)
        XCTAssertTrue(try hub.send("hub-households").split(separator: " ").map(String.init).contains(hid))
        area.search("")
        area.load()
        XCTAssertEqual(area.rows.first?.unsynced, false)

        // English switch: the same screens in English.
        app.switchLanguage()
        let status = SyncScreen(app: app)
        status.refresh()
        XCTAssertEqual(status.outcome, "Everything is synced.")
        XCTAssertEqual(area.header, "1 household · 0 not synced · 1 follow-ups due")

        // Review: another device renames the head while this phone does too; both values side by side.
        try hub.send("device-create vol-02")
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        try hub.send("device-rename \(hid) \(an) Nguyễn Văn Ân")
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        _ = try app.open().setMemberField(householdId: hid, memberId: an, update: .fullName(value: "Nguyễn Văn Anh"))
        sync.start()
        guard case .finished = sync.state else { return XCTFail(sync.outcome) }
        let review = ReviewScreen(app: app, householdId: hid)
        try review.load()
        XCTAssertEqual(review.cards.count, 1)
        let conflict = try XCTUnwrap(review.cards.first)
        XCTAssertTrue(conflict.title.hasPrefix("Full name"), conflict.title)
        XCTAssertEqual(Set([conflict.left, conflict.right]), ["Nguyễn Văn Anh", "Nguyễn Văn Ân"])
        try review.choose(0, side: conflict.left == "Nguyễn Văn Anh" ? 0 : 1)
        XCTAssertTrue(review.cards.isEmpty)
        XCTAssertEqual(try app.open().household(householdId: hid).members.first { $0.id == an }?.fullName, "Nguyễn Văn Anh")
    }

    func testOfflineSyncSaysSoInWords() throws {
        let dir = scratch()
        let hub = try HubFixture(dir: dir.appendingPathComponent("hub"))
        let app = AppState(directory: dir, store: MemoryStore(), lang: .en)
        let enrol = EnrolScreen(app: app)
        enrol.volunteerId = "vol-01"
        enrol.commune = catalogUnit(code: "00004", lang: .en)
        enrol.hubUrl = hub.url
        enrol.pairingCode = try hub.send("pair vol-01")
        enrol.submit()
        guard case .enrolled = enrol.state else { return XCTFail(enrol.summary) }
        hub.stop()
        let sync = SyncScreen(app: app)
        sync.start()
        guard case .failed(let message) = sync.state else { return XCTFail(sync.outcome) }
        XCTAssertTrue(message.hasPrefix("Cannot reach the commune hub"), message)
        XCTAssertFalse(sync.running)
    }

    func testFormattingAndPairing() {
        XCTAssertEqual(Format.maskIdNumber("001090012345"), "••••••••2345", "the core's mask: the last 4 digits")
        XCTAssertEqual(Format.maskIdNumber(nil), "")
        XCTAssertEqual(Format.accuracy(7.6, Texts(.en)), "Accuracy ±8 m")
        XCTAssertEqual(Format.percent(1, 4), 25)
        XCTAssertTrue(Format.isDue("2026-03-01", today: "2026-03-10"))
        XCTAssertEqual(PairingQr.parse("GOCUA-PAIR:1:ABCD-EFGH-JK:https://hub.vn"), PairingQr(code: "ABCD-EFGH-JK", hubUrl: "https://hub.vn"))
        XCTAssertNil(PairingQr.parse("GOCUA-PAIR:1:ABCD"))
    }

    func testALockedKeychainIsAKeyStoreError() {
        final class Locked: SecureStore, @unchecked Sendable {
            struct E: Error {}
            func read(_ name: String) throws -> Data? { throw E() }
            func write(_ name: String, _ data: Data) throws { throw E() }
            func remove(_ name: String) throws { throw E() }
        }
        let app = AppState(directory: scratch(), store: Locked())
        let enrol = EnrolScreen(app: app)
        enrol.volunteerId = "vol-01"
        enrol.commune = catalogUnit(code: "00004", lang: .vi)
        enrol.hubUrl = "http://127.0.0.1:9"; enrol.pairingCode = "AAAA-BBBB-CC"
        enrol.submit()
        guard case .failed(let message) = enrol.state else { return XCTFail("\(enrol.state)") }
        XCTAssertTrue(message.contains("Keychain"), message)
    }
}
