import Foundation
import XCTest
import GocuaCore

/// Collects the views a running sync reports.
final class ViewRecorder: SyncViewListener, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [SyncStatusView] = []

    func onView(view: SyncStatusView) throws {
        lock.lock(); defer { lock.unlock() }
        seen.append(view)
    }

    var views: [SyncStatusView] {
        lock.lock(); defer { lock.unlock() }
        return seen
    }
}

/// A whole visit driven only through the core's screen models, as a shell would: every sentence,
/// rule and decision comes from a view; the test only sends events and reads views. The hub and a
/// second device run in Rust on 127.0.0.1 (examples/hub_fixture.rs).
final class ScreenVisitTests: XCTestCase {
    private func enabled(_ actions: [ActionView], _ id: String) -> Bool {
        actions.first { $0.id == id }?.enabled ?? false
    }

    func testAWholeVisitThroughTheScreenModels() throws {
        let dir = tempDir()
        let hub = try HubFixture(dir: dir.appendingPathComponent("hub"))
        defer { hub.stop() }

        // Another volunteer has already registered Lê Thị Mai's household and synced it.
        try hub.send("device-create vol-02")
        let mai = try hub.send("device-household Lê Thị Mai").split(separator: " ").map(String.init)
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))

        // Enrol from a pairing link: a bad link is a field message, a good one makes a request.
        let enrol = EnrolScreen(lang: .vi)
        let bad = enrol.send(event: .payload("https://example.org/not-a-pairing"))
        XCTAssertNil(bad.ready)
        XCTAssertFalse(bad.fields.first { $0.key == "pairing" }!.messages.isEmpty)
        let hubParam = hub.url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let link = "gocua://pair?hub=\(hubParam)&code=\(try hub.send("pair vol-01"))&commune=\(commune)"
        _ = enrol.send(event: .payload(link))
        let ready = try XCTUnwrap(enrol.send(event: .set(key: "volunteer", value: "vol-01")).ready)
        let phone = try GocuaRegister.createEncrypted(
            path: dir.appendingPathComponent("phone.db").path, volunteerId: ready.volunteerId,
            communeCode: ready.communeCode, keys: MemoryKeyStore(), lang: .vi)
        // A code the hub never issued: the screen says what to do, the phone is not enrolled.
        let wrong = EnrolScreen(lang: .vi)
        _ = wrong.send(event: .payload("GOCUA-PAIR:1:NOPE-NOPE-NO:\(hub.url)"))
        _ = wrong.send(event: .choose(key: "commune", code: commune))
        _ = wrong.send(event: .set(key: "volunteer", value: "vol-01"))
        let stray = try GocuaRegister.createEncrypted(
            path: dir.appendingPathComponent("stray.db").path, volunteerId: "vol-01",
            communeCode: commune, keys: MemoryKeyStore(), lang: .vi)
        let refused = wrong.enrol(register: stray)
        XCTAssertFalse(refused.enrolled)
        XCTAssertEqual(refused.notices.last?.text, "Mã ghép không hợp lệ, đã dùng hoặc hết hạn. Xin mã mới.")
        do {
            _ = try stray.sync(progress: nil, cancel: nil)
            XCTFail("a register never enrolled cannot sync")
        } catch let e as GocuaError {
            XCTAssertEqual(errorText(error: e, lang: .vi), "Máy này chưa được ghép với máy chủ xã. Quét mã ghép của xã.")
        }

        let enrolled = enrol.enrol(register: phone)
        XCTAssertTrue(enrolled.enrolled, enrolled.notices.map(\.text).joined())
        let said = enrolled.notices.last?.text ?? ""
        XCTAssertTrue(said.hasPrefix("Đã ghép máy. Địa bàn: ") && said.hasSuffix(" (1 thôn/tổ)."), said)
        XCTAssertFalse(enrolled.actions.first { $0.id == "enrol" }!.enabled)
        let hamletId = try XCTUnwrap(phone.hamlets(communeCode: commune).first?.id)
        let sync = SyncScreen(register: phone)
        XCTAssertEqual(try sync.view().headline, "Chưa đồng bộ lần nào.")
        let pulled = try sync.sync(listener: nil, cancel: nil)
        XCTAssertFalse(pulled.running)
        XCTAssertEqual(pulled.severity, .info, pulled.headline)

        // Search before create finds the household the other device registered.
        let areaScreen = AreaScreen(register: phone)
        _ = areaScreen.send(event: .chooseHamlet(hamletId))
        let found = areaScreen.send(event: .checkBeforeCreate(name: "Lê Thị Mai", phone: "", idNumber: ""))
        XCTAssertEqual(found.candidates.map(\.household), [mai[0]])
        XCTAssertFalse(found.createNext, "a match is offered before a new household is made")
        let fresh = areaScreen.send(event: .checkBeforeCreate(name: "Phạm Văn Bình", phone: "", idNumber: ""))
        XCTAssertTrue(fresh.candidates.isEmpty)
        XCTAssertTrue(fresh.createNext)

        // Register a household whose GPS fix is poor: the warning is shown, then accepted.
        let form = HouseholdFormScreen(register: phone, communeCentre: nil)
        let picker = form.view().fields.first { $0.kind == .choice }!
        XCTAssertTrue(picker.options.contains { $0.code == hamletId }, "the hamlet picker")
        _ = form.send(event: .set(key: picker.key, value: hamletId))
        _ = form.send(event: .set(key: "house_number", value: "9"))
        _ = form.send(event: .gps(fix: GpsFix(
            lat: 21.0337, lon: 105.8142, accuracyM: 180, fixedAt: Date(timeIntervalSinceNow: -30), source: .fix)))
        let warned = form.send(event: .save)
        XCTAssertNil(warned.saved, "a warning is never saved silently")
        XCTAssertFalse(warned.warnings.isEmpty)
        let household = try XCTUnwrap(form.send(event: .acceptWarnings).saved)

        // The head: a badly typed date is a message on the field, never an error.
        let members = MembersScreen(register: phone, household: household)
        _ = members.send(event: .newMember)
        _ = members.send(event: .set(key: "full_name", value: "Phạm Văn Bình"))
        _ = members.send(event: .set(key: "relation", value: "chu_ho"))
        _ = members.send(event: .set(key: "gender", value: "male"))
        _ = members.send(event: .set(key: "birth", value: "31/02/1980"))
        let badDate = members.send(event: .save)
        XCTAssertFalse(badDate.fields.first { $0.key == "birth" }!.messages.isEmpty, "31 February is refused")
        XCTAssertNil(badDate.consentNext)
        _ = members.send(event: .set(key: "birth", value: "5-3-1980"))
        _ = members.send(event: .set(key: "phone", value: "0912345678"))
        let head = try XCTUnwrap(members.send(event: .save).consentNext, "personal fields wait for consent")
        XCTAssertNil(try phone.household(householdId: household).members.first?.birth)

        // Consent given: purposes start unticked, then the pending fields are stored.
        let consent = members.consentScreen(member: head)
        let notice = consent.view()
        XCTAssertTrue(notice.purposes.allSatisfy { !$0.selected }, "no purpose is pre-ticked")
        XCTAssertFalse(enabled(notice.actions, "give"))
        XCTAssertEqual(notice.noticeVersion, consentNoticeVersion())
        _ = consent.send(event: .togglePurpose("local_register"))
        _ = consent.send(event: .togglePurpose("setup_help"))
        _ = consent.send(event: .chooseMethod("witnessed_verbal"))
        XCTAssertTrue(consent.send(event: .give).finished)
        let stored = try phone.household(householdId: household).members.first { $0.id == head }!
        XCTAssertEqual(stored.birth, "1980-03-05")
        XCTAssertEqual(stored.phone, "0912345678")

        // A member who declines: what was typed is discarded, nothing personal is stored.
        _ = members.send(event: .newMember)
        _ = members.send(event: .set(key: "full_name", value: "Phạm Thị Cúc"))
        _ = members.send(event: .set(key: "relation", value: "vo"))
        _ = members.send(event: .set(key: "birth", value: "1982"))
        _ = members.send(event: .set(key: "id_number", value: "001182012345"))
        let cuc = try XCTUnwrap(members.send(event: .save).consentNext)
        XCTAssertTrue(members.consentScreen(member: cuc).send(event: .decline).finished)
        let cucStored = try phone.household(householdId: household).members.first { $0.id == cuc }!
        XCTAssertNil(cucStored.birth)
        XCTAssertNil(cucStored.idNumber)

        // A minor: consent only from a guardian chosen among the household's adults.
        _ = members.send(event: .newMember)
        _ = members.send(event: .set(key: "full_name", value: "Phạm Minh Dũng"))
        _ = members.send(event: .set(key: "relation", value: "con_de"))
        _ = members.send(event: .set(key: "birth", value: "2015"))
        let child = try XCTUnwrap(members.send(event: .save).consentNext)
        let childConsent = members.consentScreen(member: child)
        _ = childConsent.send(event: .togglePurpose("local_register"))
        let noGuardian = childConsent.send(event: .chooseMethod("witnessed_verbal"))
        XCTAssertTrue(noGuardian.guardianNeeded)
        XCTAssertFalse(enabled(noGuardian.actions, "give"), "no consent for a minor without a guardian")
        _ = childConsent.send(event: .chooseGuardian(head))
        XCTAssertTrue(childConsent.send(event: .give).finished)

        // The checklist: a missing prerequisite is said; "failed" needs a reason.
        let checklist = ChecklistScreen(register: phone, household: household, member: head)
        let editor = try XCTUnwrap(try checklist.send(event: .open(.vneidLevel2)).editor)
        XCTAssertTrue(editor.notices.contains { $0.code == "prerequisite_missing" })
        _ = try checklist.send(event: .open(.vneidInstalled))
        _ = try checklist.send(event: .chooseStatus(.failed))
        let noReason = try checklist.send(event: .save)
        XCTAssertTrue(noReason.editor!.reason.messages.contains { $0.code == "reason_required" })
        _ = try checklist.send(event: .reasonTyped("Máy không đủ bộ nhớ"))
        XCTAssertNil(try checklist.send(event: .save).editor)

        // Sync through the status screen; the hub holds nothing of the person who declined.
        let recorder = ViewRecorder()
        let done = try sync.sync(listener: recorder, cancel: nil)
        XCTAssertEqual(done.severity, .info, done.headline)
        XCTAssertEqual(done.pending, 0)
        XCTAssertTrue(recorder.views.first?.running ?? false)
        XCTAssertEqual(try hub.send("hub-member-personal \(household) \(cuc)"), "birth=no id=no phone=no checklist=0")

        // A conflict reviewed: the other device and this phone rename the head.
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        try hub.send("device-rename \(household) \(head) Phạm Văn Bính")
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        _ = members.send(event: .editMember(head))
        _ = members.send(event: .set(key: "full_name", value: "Phạm Văn Binh"))
        _ = members.send(event: .save)
        _ = try sync.sync(listener: nil, cancel: nil)
        let conflicts = ConflictsScreen(register: phone, household: household)
        let review = try XCTUnwrap(try conflicts.view().conflicts.first)
        let keep = try XCTUnwrap(review.values.firstIndex { $0.text == "Phạm Văn Bính" })
        XCTAssertTrue(try conflicts.keep(conflict: 0, value: UInt32(keep)).conflicts.isEmpty)

        // A correction: the street, and a member removed after confirmation.
        let corrections = CorrectionsScreen(register: phone, household: household)
        _ = corrections.send(event: .setHouseholdField(key: "street", value: "Liễu Giai"))
        XCTAssertEqual(try phone.household(householdId: household).street, "Liễu Giai")
        XCTAssertNotNil(corrections.send(event: .removeMember(cuc)).confirmQuestion)
        _ = corrections.send(event: .confirm)
        XCTAssertTrue(try phone.household(householdId: household).members.first { $0.id == cuc }!.removed)

        // Nobody home on the next round: a follow-up, the date as typed.
        let visit = VisitScreen(register: phone, household: household)
        _ = try visit.send(event: .chooseOutcome("follow_up_needed"))
        _ = try visit.send(event: .followUpTyped("31/2/2030"))
        let noSuchDay = try visit.send(event: .save)
        XCTAssertFalse(noSuchDay.saved)
        XCTAssertEqual(noSuchDay.followUp.messages.count, 1)
        _ = try visit.send(event: .followUpTyped("1/1/2099"))
        let recorded = try visit.send(event: .save)
        XCTAssertTrue(recorded.saved, recorded.notices.map(\.text).joined())
        XCTAssertTrue(recorded.history.first?.contains("hẹn 01/01/2099") ?? false)

        // The take-home card carries a QR drawn by the core.
        XCTAssertFalse(try CardScreen(register: phone, household: household).view().qr.modules.isEmpty)

        XCTAssertEqual(try sync.sync(listener: nil, cancel: nil).pending, 0)
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        XCTAssertEqual(try hub.send("device-name \(household) \(head)"), "Phạm Văn Bính")
    }
}
