import Foundation
import XCTest
import GocuaCore
@testable import GocuaKit

/// Each page over the real FFI screens (a register enrolled with a hub on 127.0.0.1): what it
/// exposes to draw. Every sentence asserted on comes from the core; the pages only carry it.
final class PageTests: XCTestCase {
    override func setUp() { setvbuf(stdout, nil, _IOLBF, 0) }

    func testEnrolFromALinkAndIntoTheArea() throws {
        let dir = scratch()
        let hub = try HubFixture(dir: dir.appendingPathComponent("hub"))
        defer { hub.stop() }
        let keychain = MemoryStore()
        let app = AppState(directory: dir, store: keychain)
        let root = RootPage(app: app)
        XCTAssertFalse(root.hasRegister)
        let enrol = EnrolPage(app: app)
        settle(enrol) { enrol.load() }
        XCTAssertFalse(enrol.actions.enabled("enrol"), "nothing to enrol with yet")
        XCTAssertFalse(enrol.view!.missing.isEmpty)

        // A wrong QR code: the core's message beside the pairing field, never an error.
        settle(enrol) { enrol.payload("https://example.org/not-a-pairing") }
        XCTAssertEqual(enrol.fields.filter(\.paste).map(\.key), ["pairing"], "the core names the field a copied code goes into")
        let pairing = try XCTUnwrap(enrol.fields.field("pairing"))
        XCTAssertFalse(pairing.messages.isEmpty)
        XCTAssertEqual(pairing.tone, .error)
        XCTAssertNil(enrol.error)

        // The coordinator's link opens the app: the root keeps it for the enrol page.
        let hubParam = hub.url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        root.opened(URL(string: "gocua://pair?hub=\(hubParam)&code=\(try hub.send("pair vol-01"))&commune=00004")!)
        let link = try XCTUnwrap(root.takeLink())
        XCTAssertNil(root.takeLink(), "handed over once")
        settle(enrol) { enrol.set("pairing", link) }
        XCTAssertTrue(enrol.fields.field("pairing")!.messages.isEmpty)
        XCTAssertFalse(enrol.actions.enabled("enrol"), "the volunteer's id is still missing")
        settle(enrol) { enrol.set("volunteer", "vol-01") }
        XCTAssertTrue(enrol.actions.enabled("enrol"))
        XCTAssertNotNil(enrol.view?.ready)

        var told = false
        settle(enrol) { enrol.enrol { told = true } }
        XCTAssertTrue(told)
        XCTAssertTrue(enrol.enrolled)
        let said = try XCTUnwrap(enrol.notices.first { $0.code == "enrolled" })
        XCTAssertTrue(said.text.hasPrefix("Đã ghép máy."), said.text)
        XCTAssertEqual(keychain.count, 1, "the register's key is in the Keychain")
        root.refresh()
        XCTAssertTrue(root.hasRegister)
        root.open()
        until { root.register != nil }
        XCTAssertNil(root.error)
        root.opened(URL(string: "gocua://pair?hub=x&code=y")!)
        XCTAssertNil(root.pairingLink, "a link is ignored once enrolled")
    }

    func testAFailedEnrolmentSaysWhyAndLeavesNoRegister() throws {
        let app = AppState(directory: scratch(), store: MemoryStore(), lang: .en)
        let enrol = EnrolPage(app: app)
        settle(enrol) { enrol.payload("GOCUA-PAIR:1:AAAA-BBBB-CC:http://127.0.0.1:9") } // nothing listens there
        // The commune is found by name: the matches are the field's own options.
        settle(enrol) { enrol.set("commune", "ba dinh") }
        let commune = try XCTUnwrap(enrol.fields.field("commune"))
        XCTAssertEqual(commune.kind, .search)
        let found = try XCTUnwrap(commune.options.first)
        XCTAssertTrue(found.label.contains("Ba Đình"), found.label)
        settle(enrol) { enrol.choose("commune", found.code) }
        XCTAssertEqual(enrol.fields.field("commune")?.options.selectedCode, found.code)
        settle(enrol) { enrol.choose("commune", "00004") }
        settle(enrol) { enrol.set("volunteer", "vol-01") }
        XCTAssertTrue(enrol.actions.enabled("enrol"), "\(enrol.view!.missing)")
        settle(enrol) { enrol.enrol() }
        XCTAssertFalse(enrol.enrolled)
        let failed = try XCTUnwrap(enrol.notices.first { $0.code == "enrol_failed" })
        XCTAssertEqual(failed.tone, .error)
        XCTAssertFalse(failed.text.isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.registerURL.path), "the new register is removed")
        XCTAssertFalse(app.hasRegister)
    }

    func testAPhoneWithoutPasscodeIsRefused() {
        let app = AppState(directory: scratch(), store: MemoryStore(), lang: .en, deviceSecure: { false })
        let enrol = EnrolPage(app: app)
        XCTAssertTrue(enrol.lockRefusal?.hasPrefix("This phone has no passcode.") ?? false)
        settle(enrol) { enrol.payload("GOCUA-PAIR:1:AAAA-BBBB-CC:http://hub.example:9") }
        XCTAssertTrue(enrol.notices.contains { $0.tone == .warning }, "an http:// hub without a pin is warned about")
        settle(enrol) { enrol.choose("commune", "00004") }
        settle(enrol) { enrol.set("volunteer", "vol-01") }
        let before = enrol.answers
        enrol.enrol()
        XCTAssertEqual(enrol.answers, before)
        XCTAssertFalse(enrol.busy, "nothing is sent")
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.registerURL.path), "no register is created")
        XCTAssertNil(AppLock.enrolRefusal(deviceSecure: true, .vi))
    }

    func testALockedKeychainIsTheCoresSentence() {
        final class Locked: SecureStore, @unchecked Sendable {
            struct E: Error {}
            func read(_ name: String) throws -> Data? { throw E() }
            func write(_ name: String, _ data: Data) throws { throw E() }
            func remove(_ name: String) throws { throw E() }
        }
        let app = AppState(directory: scratch(), store: Locked(), lang: .en)
        let enrol = EnrolPage(app: app)
        settle(enrol) { enrol.payload("GOCUA-PAIR:1:AAAA-BBBB-CC:http://127.0.0.1:9") }
        settle(enrol) { enrol.choose("commune", "00004") }
        settle(enrol) { enrol.set("volunteer", "vol-01") }
        settle(enrol) { enrol.enrol() }
        let shown = enrol.error
        XCTAssertNotNil(shown)
        XCTAssertEqual(shown?.errorDescription, errorText(error: .KeyStore(reason: "Keychain: save failed"), lang: .en))
        XCTAssertFalse(shown?.message.contains("GocuaError") ?? true)
        XCTAssertFalse(app.hasRegister)
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.registerURL.path))
    }

    func testAreaPagesSearchesAndChecksBeforeCreate() throws {
        let phone = try Phone(self)
        defer { phone.stop() }
        for _ in 0..<51 { _ = try phone.household() }
        let area = AreaPage(register: phone.register)
        settle(area) { area.load() }
        let view = try XCTUnwrap(area.view)
        XCTAssertTrue(area.hamlets.contains { $0.code == phone.hamletId && $0.selected })
        XCTAssertEqual(view.households.count, 50, "a page of 50")
        XCTAssertTrue(view.header.contains("51 hộ"), "\(view.header)")
        XCTAssertTrue(area.actions.enabled("more"), "more is offered: no silent cap")
        XCTAssertNil(view.followUpsTitle, "nothing due: no section title, so no empty section")
        settle(area) { area.more() }
        XCTAssertEqual(area.view?.households.count, 51)
        XCTAssertFalse(area.actions.enabled("more"))
        let row = try XCTUnwrap(area.view?.households.first)
        XCTAssertEqual(row.badgeLine, row.badges.joined(separator: " · "), "one line, joined by the core")
        XCTAssertEqual(row.membersLine, "\(row.members) người")

        settle(area) { area.search("khong co ai") }
        XCTAssertTrue(area.view!.searchResults.isEmpty)
        XCTAssertTrue(area.notices.contains { $0.code == "no_match" })
        settle(area) { area.checkBeforeCreate(name: "Phạm Văn Bình", phone: "", idNumber: "") }
        XCTAssertTrue(area.view!.createNext)
        XCTAssertFalse(area.actions.enabled("none_of_these"))
    }

    func testHouseholdFormMessagesWarningsAndDraft() throws {
        let phone = try Phone(self)
        defer { phone.stop() }
        let draftURL = phone.dir.appendingPathComponent("household-draft.json")

        // Saved without a hamlet: the core's message beside the hamlet field.
        let first = HouseholdFormPage(register: phone.register, location: FakeLocation([]), draft: FormDraft(url: draftURL))
        settle(first) { first.load() }
        let picker = try XCTUnwrap(first.fields.field("hamlet"))
        XCTAssertEqual(picker.kind, .choice)
        XCTAssertTrue(picker.options.contains { $0.code == phone.hamletId }, "the hamlet picker")
        XCTAssertEqual(first.fields.field("street")?.kind, .text)
        settle(first) { first.save() }
        let hamlet = try XCTUnwrap(first.fields.field("hamlet"))
        XCTAssertEqual(hamlet.tone, .error)
        XCTAssertFalse(hamlet.messages.isEmpty)
        XCTAssertNil(first.view?.saved)

        // Half-filled, then the app is killed: a new screen gets the events again.
        settle(first) { first.input("hamlet", phone.hamletId) }
        settle(first) { first.set("street", "Đội Cấn") }
        settle(first) { first.set("house_number", "7") }
        settle(first) { first.set("house_number", "9") }
        let form = HouseholdFormPage(register: phone.register, location: FakeLocation([.denied, .unavailable, .fix(fix(accuracy: 180))]),
                                     draft: FormDraft(url: draftURL))
        settle(form) { form.load() }
        XCTAssertEqual(form.fields.field("house_number")?.value, "9")
        XCTAssertEqual(form.fields.field("street")?.value, "Đội Cấn")
        XCTAssertEqual(form.fields.field("hamlet")?.options.selectedCode, phone.hamletId)

        XCTAssertNil(form.locationNotice)
        XCTAssertNil(form.openSettings)
        XCTAssertEqual(form.clearGpsAction?.enabled, false, "no position to clear")
        // Refused: iOS asks once, so the core offers the Settings app and says why.
        settle(form) { form.locate() }
        XCTAssertEqual(form.locationNotice?.code, "location_refused_for_good")
        XCTAssertEqual(form.openSettings?.enabled, true)
        // No fix: the core's sentence, and the settings are no longer offered.
        settle(form) { form.locate() }
        XCTAssertEqual(form.locationNotice?.code, "location_no_fix")
        XCTAssertNil(form.openSettings)
        // A poor fix: the warning on save, then accepted; save itself is disabled meanwhile.
        settle(form) { form.locate() }
        XCTAssertNil(form.locationNotice, "a fix settles it")
        XCTAssertEqual(form.clearGpsAction?.enabled, true)
        XCTAssertFalse(form.view!.position.isEmpty)
        settle(form) { form.save() }
        XCTAssertNil(form.view?.saved, "a warning is never saved silently")
        XCTAssertFalse(form.warnings.isEmpty)
        XCTAssertFalse(form.actions.enabled("save"))
        XCTAssertTrue(form.actions.enabled("accept_warnings"))
        settle(form) { form.acceptWarnings() }
        let saved = try XCTUnwrap(form.view?.saved)
        XCTAssertEqual(try phone.register.household(householdId: saved).houseNumber, "9")
        XCTAssertFalse(FileManager.default.fileExists(atPath: draftURL.path), "the draft is gone once saved")
        XCTAssertTrue(FormDraft(url: draftURL).isEmpty)
    }

    func testMembersConsentAndARemovalConfirmed() throws {
        let phone = try Phone(self)
        defer { phone.stop() }
        let hid = try phone.household()
        let members = MembersPage(register: phone.register, household: hid)
        settle(members) { members.load() }
        XCTAssertTrue(members.actions.enabled("new_member"))
        XCTAssertFalse(members.actions.enabled("save"))
        settle(members) { members.newMember() }
        settle(members) { members.set("full_name", "Phạm Văn Bình") }
        settle(members) { members.set("relation", "chu_ho") }
        settle(members) { members.set("gender", "male") }
        settle(members) { members.set("birth", "31/02/1980") }
        XCTAssertEqual(members.fields.field("relation")?.kind, .choice)
        XCTAssertEqual(members.fields.field("relation")?.options.selectedCode, "chu_ho")
        XCTAssertEqual(members.fields.field("gender")?.options.selectedCode, "male")
        settle(members) { members.save() }
        let birth = try XCTUnwrap(members.fields.field("birth"))
        XCTAssertFalse(birth.messages.isEmpty, "31 February is refused beside the field")
        XCTAssertNil(members.view?.consentNext)
        settle(members) { members.set("birth", "5-3-1980") }
        settle(members) { members.set("phone", "0912345678") }
        settle(members) { members.save() }
        let head = try XCTUnwrap(members.view?.consentNext, "personal fields wait for consent")
        XCTAssertEqual(members.view?.rows.map(\.name), ["Phạm Văn Bình"])

        // Consent: give is enabled only once the purposes, the method and the paper form are there.
        let consent = members.consentPage(member: head)
        settle(consent) { consent.load() }
        XCTAssertTrue(consent.purposes.allSatisfy { !$0.selected }, "no purpose is pre-ticked")
        XCTAssertFalse(consent.actions.enabled("give"))
        XCTAssertTrue(consent.actions.enabled("decline"))
        settle(consent) { consent.togglePurpose("local_register") }
        XCTAssertFalse(consent.actions.enabled("give"), "no method yet")
        settle(consent) { consent.chooseMethod("signature") }
        XCTAssertNotNil(consent.view?.paperFormQuestion)
        XCTAssertFalse(consent.actions.enabled("give"), "the paper form is not confirmed kept")
        settle(consent) { consent.paperFormKept(true) }
        XCTAssertTrue(consent.actions.enabled("give"))
        settle(consent) { consent.give() }
        XCTAssertTrue(consent.view!.finished)
        XCTAssertFalse(consent.actions.enabled("give"))
        XCTAssertEqual(try phone.register.household(householdId: hid).members.first { $0.id == head }?.birth, "1980-03-05")
        settle(members) { members.load() }
        XCTAssertEqual(members.view?.rows.first?.phoneMasked, maskPhone(value: "0912345678"))

        // A minor: give stays disabled until a guardian is chosen among the core's options.
        settle(members) { members.newMember() }
        settle(members) { members.set("full_name", "Phạm Minh Dũng") }
        settle(members) { members.set("relation", "con_de") }
        settle(members) { members.set("birth", "2015") }
        settle(members) { members.save() }
        let child = try XCTUnwrap(members.view?.consentNext)
        let childConsent = members.consentPage(member: child)
        settle(childConsent) { childConsent.togglePurpose("local_register") }
        settle(childConsent) { childConsent.chooseMethod("witnessed_verbal") }
        XCTAssertTrue(childConsent.view!.guardianNeeded)
        XCTAssertFalse(childConsent.actions.enabled("give"), "no consent for a minor without a guardian")
        XCTAssertTrue(childConsent.guardians.contains { $0.code == head })
        settle(childConsent) { childConsent.chooseGuardian(head) }
        XCTAssertEqual(childConsent.guardians.selectedCode, head)
        XCTAssertTrue(childConsent.actions.enabled("give"))
        settle(childConsent) { childConsent.give() }
        XCTAssertTrue(childConsent.view!.finished)

        // A second member removed: the core asks first; cancel keeps them, confirm removes them.
        settle(members) { members.newMember() }
        settle(members) { members.set("full_name", "Phạm Thị Cúc") }
        settle(members) { members.set("relation", "vo") }
        settle(members) { members.save() }
        let cuc = try XCTUnwrap(members.view?.rows.first { $0.name == "Phạm Thị Cúc" }?.id)
        settle(members) { members.askRemove(cuc) }
        XCTAssertNotNil(members.confirmQuestion)
        XCTAssertTrue(members.removalActions.enabled("confirm"))
        XCTAssertEqual(members.view?.rows.count, 3, "nothing removed before the answer")
        settle(members) { members.cancelRemove() }
        XCTAssertNil(members.confirmQuestion)
        XCTAssertEqual(members.view?.rows.count, 3)
        settle(members) { members.askRemove(cuc) }
        settle(members) { members.confirmRemove() }
        XCTAssertNil(members.confirmQuestion)
        XCTAssertEqual(Set(members.view?.rows.map(\.id) ?? []), [head, child])
        XCTAssertTrue(try phone.register.household(householdId: hid).members.first { $0.id == cuc }!.removed)
    }

    func testChecklistReasonAndPrerequisite() throws {
        let phone = try Phone(self)
        defer { phone.stop() }
        let hid = try phone.household()
        let an = try phone.register.addConsented(householdId: hid, input: member("Nguyễn Văn An", .head, birth: "1990-05-01", gender: .male)).id
        let checklist = ChecklistPage(register: phone.register, household: hid, member: an)
        settle(checklist) { checklist.load() }
        XCTAssertEqual(checklist.view?.memberName, "Nguyễn Văn An")
        XCTAssertFalse(checklist.view!.progress.line.isEmpty)
        XCTAssertNil(checklist.view?.editor)
        settle(checklist) { checklist.open("vneid_level2") }
        XCTAssertTrue(checklist.editorNotices.contains { $0.code == "prerequisite_missing" })
        settle(checklist) { checklist.close() }
        XCTAssertNil(checklist.view?.editor)
        settle(checklist) { checklist.open("vneid_installed") }
        XCTAssertEqual(checklist.view?.editor?.item, "vneid_installed")
        XCTAssertFalse(checklist.editorReason!.enabled, "a reason only for a failure")
        settle(checklist) { checklist.chooseStatus("failed") }
        XCTAssertEqual(checklist.editorStatuses.selectedCode, "failed")
        XCTAssertTrue(checklist.editorReason!.enabled)
        settle(checklist) { checklist.save() }
        XCTAssertTrue(checklist.editorReason!.messages.contains { $0.code == "reason_required" })
        settle(checklist) { checklist.reason("Máy không đủ bộ nhớ") }
        settle(checklist) { checklist.save() }
        XCTAssertNil(checklist.view?.editor)
        XCTAssertEqual(checklist.view?.items.first { $0.code == "vneid_installed" }?.status, "failed")
    }

    func testCorrectionsAskBeforeErasure() throws {
        let phone = try Phone(self, lang: .en)
        defer { phone.stop() }
        let hid = try phone.household()
        _ = try phone.register.addConsented(householdId: hid, input: member("Nguyễn Văn An", .head, birth: "1990-05-01", gender: .male, idNumber: "001090012345"))
        let corrections = CorrectionsPage(register: phone.register, household: hid)
        settle(corrections) { corrections.load() }
        XCTAssertEqual(corrections.fields.field("hamlet")?.options.selectedCode, phone.hamletId)
        // Each member's corrections come from the core, with whether they apply now.
        let an = try XCTUnwrap(corrections.members.first)
        XCTAssertEqual(an.name, "Nguyễn Văn An")
        XCTAssertTrue(an.actions.enabled("withdraw_consent"), "a consent is in force")
        XCTAssertTrue(an.actions.enabled("remove"))
        XCTAssertEqual(corrections.fields.field("street")?.value, "Đội Cấn")
        settle(corrections) { corrections.set("street", "Liễu Giai") }
        XCTAssertEqual(try phone.register.household(householdId: hid).street, "Liễu Giai")
        XCTAssertEqual(corrections.fields.field("street")?.value, "Liễu Giai")
        XCTAssertFalse(corrections.actions.enabled("confirm"))
        settle(corrections) { corrections.requestErasure(nil) }
        XCTAssertNotNil(corrections.view?.confirmQuestion)
        XCTAssertFalse(corrections.members.first!.actions.enabled("remove"), "nothing else while one waits")
        XCTAssertTrue(corrections.actions.enabled("confirm"))
        XCTAssertFalse(corrections.actions.enabled("request_erasure"))
        settle(corrections) { corrections.cancel() }
        XCTAssertNil(corrections.view?.confirmQuestion)
        XCTAssertFalse(corrections.view!.gone)
    }

    func testCardQrIsDrawnToSizeAndVisitRecorded() throws {
        let phone = try Phone(self)
        defer { phone.stop() }
        let hid = try phone.household()
        _ = try phone.register.addConsented(householdId: hid, input: member("Nguyễn Văn An", .head, birth: "1990-05-01", gender: .male, idNumber: "001090012345"))
        let card = CardPage(register: phone.register, household: hid)
        settle(card) { card.load() }
        let view = try XCTUnwrap(card.view)
        let n = view.qr.modules.count
        XCTAssertEqual(n, 17 + 4 * Int(view.qr.version))
        let qr = try XCTUnwrap(card.qr)
        XCTAssertEqual(qr.side, (n + 8) * 8, "the modules and a quiet zone of 4, 8 pixels each")
        XCTAssertEqual(qr.pixels.count, qr.side * qr.side)
        XCTAssertFalse(qr.isDark(x: 0, y: 0), "the quiet zone is light")
        XCTAssertTrue(qr.isDark(x: 32, y: 32), "the finder pattern's corner")
        XCTAssertTrue(qr.isDark(x: 32 + 7, y: 32 + 7))
        XCTAssertEqual(qr.isDark(x: 32 + 8 * 8 + 3, y: 32 + 3), view.qr.modules[0][8])
        XCTAssertEqual(card.shareText, view.text)
        XCTAssertFalse(card.shareText.contains("001090012345"))

        let visit = VisitPage(register: phone.register, household: hid)
        settle(visit) { visit.load() }
        XCTAssertFalse(visit.saveAction!.enabled, "no outcome yet")
        let followUp = try XCTUnwrap(visitOutcomes(lang: .vi).first { $0.outcome == .followUpNeeded }).code
        settle(visit) { visit.chooseOutcome(followUp) }
        XCTAssertEqual(visit.outcomes.selectedCode, followUp)
        settle(visit) { visit.followUp("không rõ") }
        settle(visit) { visit.save() }
        XCTAssertFalse(visit.view!.saved)
        XCTAssertFalse(visit.followUpField!.messages.isEmpty, "a date the core cannot read is said beside the field")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        settle(visit) { visit.followUp(f.string(from: Date(timeIntervalSinceNow: 14 * 86400))) }
        settle(visit) { visit.save() }
        XCTAssertTrue(visit.view!.saved, "\(visit.notices) \(visit.followUpField!.messages)")
        XCTAssertTrue(visit.notices.contains { $0.code == "saved" })
        XCTAssertFalse(visit.view!.history.isEmpty)
    }

    func testSyncRunsConflictsAreKeptAndAFailureIsTheHeadline() throws {
        let phone = try Phone(self)
        let hid = try phone.household()
        let an = try phone.register.addConsented(householdId: hid, input: member("Nguyễn Văn An", .head, birth: "1990-05-01", gender: .male)).id
        let sync = SyncPage(register: phone.register)
        settle(sync) { sync.load() }
        XCTAssertEqual(sync.view?.pending, 1)
        XCTAssertTrue(sync.action!.enabled)
        var seenRunning = false
        sync.observe { if sync.view?.running == true { seenRunning = true } }
        var finished = false
        sync.sync { finished = true }
        XCTAssertTrue(sync.running)
        until { finished }
        XCTAssertTrue(seenRunning, "the running sync's views were published")
        XCTAssertFalse(sync.running)
        XCTAssertEqual(sync.tone, .info, sync.view!.headline)
        XCTAssertEqual(sync.view?.pending, 0)
        XCTAssertTrue(try phone.hub.send("hub-households").split(separator: " ").map(String.init).contains(hid))

        // Another device renames the head while this phone does too: a conflict, one value kept.
        try phone.hub.send("device-create vol-02")
        XCTAssertTrue(try phone.hub.send("device-sync").hasPrefix("success"))
        try phone.hub.send("device-rename \(hid) \(an) Nguyễn Văn Ân")
        XCTAssertTrue(try phone.hub.send("device-sync").hasPrefix("success"))
        let members = MembersPage(register: phone.register, household: hid)
        settle(members) { members.edit(an) }
        settle(members) { members.set("full_name", "Nguyễn Văn Anh") }
        settle(members) { members.save() }
        finished = false
        sync.sync { finished = true }
        until { finished }
        let conflicts = ConflictsPage(register: phone.register, household: hid)
        settle(conflicts) { conflicts.load() }
        let conflict = try XCTUnwrap(conflicts.view?.conflicts.first)
        XCTAssertEqual(Set(conflict.values.map(\.text)), ["Nguyễn Văn Anh", "Nguyễn Văn Ân"])
        XCTAssertTrue(conflict.values.allSatisfy { $0.keep.enabled })
        let keep = try XCTUnwrap(conflict.values.firstIndex { $0.text == "Nguyễn Văn Ân" })
        settle(conflicts) { conflicts.keep(conflict: 0, value: keep) }
        XCTAssertTrue(conflicts.view!.conflicts.isEmpty)

        // The hub is gone: the failure is the view's headline, not an error.
        phone.stop()
        finished = false
        sync.sync { finished = true }
        until { finished }
        XCTAssertNil(sync.error)
        XCTAssertEqual(sync.tone, .error)
        XCTAssertTrue(sync.view!.headline.hasPrefix("Không kết nối được máy chủ xã"), sync.view!.headline)
        XCTAssertFalse(sync.running)
    }

    func testABundleIsSealedAndAFileThatIsNotOneIsRefusedInTheCoresWords() throws {
        let phone = try Phone(self)
        _ = try phone.household()
        let bundles = BundlesPage(register: phone.register)
        settle(bundles) { bundles.load() }
        XCTAssertTrue(bundles.actions.enabled("seal"), "keys exchanged at enrolment")
        XCTAssertTrue(bundles.view!.headline.hasPrefix("1 hộ chờ gửi"), bundles.view!.headline)
        settle(bundles) { bundles.seal() }
        let file = try XCTUnwrap(bundles.toShare.first)
        XCTAssertTrue(file.fileName.hasPrefix("gocua-to-hub-"), file.fileName)
        XCTAssertEqual(bundles.tone, .info)
        XCTAssertEqual(bundles.sealed.count, 1)
        let written = try bundles.write(to: phone.dir)
        XCTAssertEqual(try BundlesPage.read(written[0]), file.bytes)

        let junk = phone.dir.appendingPathComponent("photo.gocua")
        try Data("not a bundle".utf8).write(to: junk)
        let root = RootPage(app: phone.app)
        root.opened(junk)
        let opened = try XCTUnwrap(root.takeBundleFile())
        XCTAssertNil(root.takeBundleFile(), "handed over once")
        let bytes = try BundlesPage.read(opened)
        settle(bundles) { bundles.open(bytes) }
        XCTAssertEqual(bundles.tone, .error)
        XCTAssertEqual(bundles.said?.sentence, "tệp không phải gói đồng bộ gocua")
        XCTAssertFalse(bundles.actions.enabled("hand_over"), "nothing carried for others")
        XCTAssertEqual(bundles.phones.count, bundles.view!.phones.count)
        phone.stop()
    }
}
