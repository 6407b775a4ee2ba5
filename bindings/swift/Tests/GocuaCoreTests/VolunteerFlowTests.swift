import Foundation
import XCTest
import GocuaCore

/// The volunteer's flow on one phone, through the generated Swift bindings.
final class VolunteerFlowTests: XCTestCase {
    func testRegisterAHouseholdOnAnEncryptedRegister() throws {
        let dir = tempDir()
        let path = dir.appendingPathComponent("register.db").path
        let keys = MemoryKeyStore()

        // Open an encrypted register with a key from the platform key store.
        let register = try GocuaRegister.createEncrypted(
            path: path, volunteerId: "vol-01", communeCode: commune, keys: keys, lang: .vi)
        XCTAssertEqual(keys.count, 1, "the register's key is in the key store")
        XCTAssertEqual(register.identity().volunteerId, "vol-01")
        let hamlet = try register.addHamlet(communeCode: commune, name: hamletName)
        XCTAssertEqual(hamlet.id, "to-dan-pho-5")

        // Register a household with members.
        let hid = try register.createHousehold(input: household(hamlet.id)).id
        let head = try register.addConsented(
            householdId: hid,
            input: member("Nguyễn Văn An", .head, birth: "1990-05-01", gender: .male,
                          idNumber: "001090012345", phone: "0912345678"))
        XCTAssertTrue(head.warnings.isEmpty, "a consistent ID number has no warning")
        let child = try register.addConsented(
            householdId: hid, input: member("Nguyễn Thị Bình", .child, birth: "2015", gender: .female),
            guardian: head.id)

        // Set checklist items.
        try register.setChecklist(householdId: hid, memberId: head.id, item: .smartphone, status: .done, reason: nil, smartphone: .own)
        try register.setChecklist(householdId: hid, memberId: head.id, item: .vneidLevel1, status: .inProgress, reason: nil, smartphone: nil)
        try register.setChecklist(householdId: hid, memberId: head.id, item: .vneidLevel2, status: .referred, reason: nil, smartphone: nil)
        let failed = validationIssues(thrown {
            try register.setChecklist(householdId: hid, memberId: child.id, item: .bankAccount, status: .failed, reason: nil, smartphone: nil)
        })
        XCTAssertEqual(failed.map(\.field), ["checklist.reason"])

        // Read the guided steps for the item being set up.
        let guide = onboardingGuide(item: .vneidLevel1, lang: .vi)
        XCTAssertGreaterThanOrEqual(guide.steps.count, 3)
        XCTAssertTrue(guide.cautions.contains { $0.contains("OTP") })
        XCTAssertTrue(onboardingGuide(item: .vneidLevel2, lang: .en).steps.joined(separator: " ").contains("in person"))
        let labels = checklistItems(lang: .vi)
        XCTAssertEqual(labels.first { $0.item == .smartphone }?.label, "Có điện thoại thông minh")
        XCTAssertEqual(labels.filter(\.fiveSkills).count, 5)

        // A bad ID number is a validation error, with its Vietnamese message.
        let badError = thrown {
            try register.addConsented(householdId: hid, input: member("Trần Văn Cường", .other, idNumber: "12345"))
        }
        let issue = validationIssues(badError).first { $0.field == "member.id_number" }
        XCTAssertEqual(issue?.kind, .idNumberFormat)
        XCTAssertEqual(issue?.severity, .error)
        XCTAssertEqual(issue?.message, "Số định danh cá nhân phải gồm đúng 12 chữ số.")
        if case .Validation(_, let reason) = badError {
            XCTAssertFalse(reason.contains("12345"), "the message never repeats the number")
        }
        register.setLanguage(lang: .en)
        let english = validationIssues(thrown {
            try register.setMemberField(householdId: hid, memberId: head.id, update: .idNumber(value: "0010900"))
        })
        XCTAssertEqual(english.first?.message, "The personal ID number must have exactly 12 digits.")
        register.setLanguage(lang: .vi)

        // Consent and a visit.
        _ = try register.recordConsent(
            householdId: hid, memberId: head.id, action: .given,
            purposes: ConsentPurposes(localRegister: true, setupHelp: true, shareWithCommune: false),
            noticeVersion: "2025-07", method: .signatureOnScreen, guardianId: nil)
        _ = try register.recordConsent(
            householdId: hid, memberId: child.id, action: .given,
            purposes: ConsentPurposes(localRegister: true, setupHelp: false, shareWithCommune: false),
            noticeVersion: "2025-07", method: .witnessedVerbal, guardianId: head.id)
        _ = try register.recordVisit(householdId: hid, date: "2025-08-01", outcome: .registered, note: "Đã cài VNeID", followUpOn: nil)
        guard case .InvalidInput = thrown({
            try register.recordVisit(householdId: hid, date: "01/08/2025", outcome: .registered, note: nil, followUpOn: nil)
        }) else { return XCTFail("a date not in YYYY-MM-DD is InvalidInput") }

        // Read it back: the household, lists, search, card.
        let h = try register.household(householdId: hid)
        XCTAssertEqual(h.headMemberId, head.id)
        XCTAssertEqual(h.members.count, 2)
        let an = try XCTUnwrap(h.members.first { $0.id == head.id })
        XCTAssertEqual(an.idNumber, "001090012345")
        XCTAssertEqual(an.checklist.first { $0.item == .smartphone }?.status, .done)
        XCTAssertEqual(an.consent?.setupHelp, true)
        XCTAssertEqual(h.visits.count, 1)
        let list = try register.listHamlet(communeCode: commune, hamletId: hamlet.id, limit: 50, offset: 0)
        XCTAssertEqual(list.map(\.id), [hid])
        XCTAssertEqual(list.first?.memberCount, 2)
        let hits = try register.search(query: "nguyen van an", limit: 10)
        XCTAssertEqual(hits.map(\.memberId), [head.id])
        XCTAssertEqual(hits.first?.idNumberLast4, "2345")
        let card = try register.householdCard(householdId: hid)
        let plus = try XCTUnwrap(card.plusCode)
        XCTAssertEqual(card.qrPayload, "GOCUA:1:\(hid):\(plus)")
        XCTAssertEqual(try parseHouseholdCard(payload: card.qrPayload).householdId, hid)
        XCTAssertGreaterThanOrEqual(try register.pendingCount(), 1)
        XCTAssertEqual(try register.integrityCheck(), "ok")

        // The file opens again only with its key.
        let reopened = try GocuaRegister.openEncrypted(path: path, keys: keys, lang: .vi)
        XCTAssertEqual(try reopened.household(householdId: hid).members.count, 2)
        guard case .WrongKey = thrown({
            try GocuaRegister.openEncrypted(path: path, keys: MemoryKeyStore(), lang: .vi)
        }) else { return XCTFail("another key store has no key for this register") }
    }

    func testConflictsAfterASecondReplicaIsMergedIn() throws {
        let dir = tempDir()
        let phone = try GocuaRegister.createEncrypted(
            path: dir.appendingPathComponent("a.db").path, volunteerId: "vol-01", communeCode: commune,
            keys: MemoryKeyStore(), lang: .vi)
        let other = try GocuaRegister.createEncrypted(
            path: dir.appendingPathComponent("b.db").path, volunteerId: "vol-02", communeCode: commune,
            keys: MemoryKeyStore(), lang: .vi)
        let hamlet = try phone.addHamlet(communeCode: commune, name: hamletName)
        let hid = try phone.createHousehold(input: household(hamlet.id)).id
        let mid = try phone.addConsented(householdId: hid, input: member("Lê Văn Dũng", .head, birth: "1980")).id

        // The second replica receives the household, then both edit the name offline.
        XCTAssertEqual(try other.mergeDocument(document: try phone.exportDocument(householdId: hid)), hid)
        _ = try phone.setMemberField(householdId: hid, memberId: mid, update: .fullName(value: "Lê Văn Dung"))
        _ = try other.setMemberField(householdId: hid, memberId: mid, update: .fullName(value: "Lê Văn Dũngg"))
        try other.setChecklist(householdId: hid, memberId: mid, item: .vssid, status: .done, reason: nil, smartphone: nil)
        _ = try phone.mergeDocument(document: try other.exportDocument(householdId: hid))

        let conflicts = try phone.conflicts(householdId: hid)
        XCTAssertEqual(conflicts.count, 1)
        let c = try XCTUnwrap(conflicts.first)
        XCTAssertEqual(c.field.memberId, mid)
        XCTAssertEqual(c.field.key, "full_name")
        XCTAssertEqual(Set(c.values.map(\.value)), ["Lê Văn Dung", "Lê Văn Dũngg"])
        XCTAssertEqual(Set(c.values.compactMap(\.volunteerId)), ["vol-01", "vol-02"])
        XCTAssertEqual(try phone.summary(householdId: hid).conflictCount, 1)
        XCTAssertEqual(try phone.household(householdId: hid).members.first?.checklist.first?.status, .done)

        try phone.resolveConflict(householdId: hid, field: c.field, value: "Lê Văn Dung")
        XCTAssertTrue(try phone.conflicts(householdId: hid).isEmpty)
        XCTAssertEqual(try phone.household(householdId: hid).members.first?.fullName, "Lê Văn Dung")
        guard case .NoConflict = thrown({
            try phone.resolveConflict(householdId: hid, field: c.field, value: "Lê Văn Dung")
        }) else { return XCTFail("a settled conflict cannot be settled again") }
        XCTAssertTrue(try phone.history(householdId: hid).contains { $0.what.hasPrefix("conflict.resolve") })
    }

    func testErasure() throws {
        let register = try GocuaRegister.createEncrypted(
            path: tempDir().appendingPathComponent("e.db").path, volunteerId: "vol-01", communeCode: commune,
            keys: MemoryKeyStore(), lang: .vi)
        let hamlet = try register.addHamlet(communeCode: commune, name: hamletName)
        let hid = try register.createHousehold(input: household(hamlet.id)).id
        let keep = try register.addConsented(householdId: hid, input: member("Đỗ Văn Giang", .head)).id
        let gone = try register.addConsented(householdId: hid, input: member("Đỗ Thị Hà", .wife, phone: "0912345678")).id
        XCTAssertTrue(try register.eraseMember(householdId: hid, memberId: gone), "never synced: erased here at once")
        XCTAssertEqual(try register.household(householdId: hid).members.map(\.id), [keep])
        XCTAssertTrue(try register.search(query: "0912345678", limit: 5).isEmpty)
        XCTAssertTrue(try register.eraseHousehold(householdId: hid), "never synced: erased here at once")
        XCTAssertTrue(try register.isErased(householdId: hid))
        guard case .NotFound = thrown({ try register.household(householdId: hid) })
        else { return XCTFail("an erased household is NotFound") }
        XCTAssertEqual(try register.pendingErasures(), 1, "one request for the household, replacing the member's")
    }

    func testCatalogLookups() throws {
        let ward = try XCTUnwrap(catalogUnit(code: commune, lang: .vi))
        XCTAssertEqual(ward.provinceCode, province)
        XCTAssertEqual(ward.kind, .ward)
        XCTAssertEqual(catalogProvinces(lang: .vi).count, 34)
        XCTAssertTrue(catalogCommunes(provinceCode: province, lang: .vi).contains { $0.code == commune })
        let found = catalogSearch(query: "ba dinh", limit: 5, lang: .en)
        XCTAssertEqual(found.first?.code, commune)
        XCTAssertEqual(found.first?.kindLabel, "Ward")
        XCTAssertNil(catalogUnit(code: "99999", lang: .vi))
        XCTAssertEqual(try XCTUnwrap(plusCode(lat: 21.0337, lon: 105.8142)).replacingOccurrences(of: "+", with: "").count, 11)
    }

    func testKeyStoreFailuresAndBadInputAreErrors() throws {
        let dir = tempDir()
        guard case .KeyStore(let reason) = thrown({
            try GocuaRegister.createEncrypted(
                path: dir.appendingPathComponent("a.db").path, volunteerId: "vol-01", communeCode: commune,
                keys: LockedKeyStore(), lang: .vi)
        }) else { return XCTFail("a locked key store is GocuaError.KeyStore") }
        XCTAssertTrue(reason.contains("locked"))
        guard case .KeyStore = thrown({
            try GocuaRegister.createEncrypted(
                path: dir.appendingPathComponent("b.db").path, volunteerId: "vol-01", communeCode: commune,
                keys: BuggyKeyStore(), lang: .vi)
        }) else { return XCTFail("a key store throwing something else is GocuaError.KeyStore, not a crash") }
        let invalid = validationIssues(thrown {
            try GocuaRegister.createEncrypted(
                path: dir.appendingPathComponent("c.db").path, volunteerId: "vol 01", communeCode: "99999",
                keys: MemoryKeyStore(), lang: .en)
        })
        XCTAssertEqual(Set(invalid.map(\.field)), ["commune_code", "volunteer_id"])

        let keys = MemoryKeyStore()
        let register = try GocuaRegister.createEncrypted(
            path: dir.appendingPathComponent("d.db").path, volunteerId: "vol-01", communeCode: commune,
            keys: keys, lang: .vi)
        guard case .NotFound = thrown({ try register.household(householdId: "0123456789abcdef") })
        else { return XCTFail("an unknown household is NotFound") }
        XCTAssertEqual(validationIssues(thrown { try register.createHousehold(input: household("khong-co")) }).first?.kind, .unknownHamlet)
        guard case .InvalidInput = thrown({ try parseHouseholdCard(payload: "not a card") })
        else { return XCTFail("not a card is InvalidInput") }
        guard case .NotEnrolled = thrown({ try register.sync(progress: nil, cancel: nil) })
        else { return XCTFail("syncing before enrolment is NotEnrolled") }
        XCTAssertNil(try register.syncStatus())
        try register.rotateKey(keys: keys)
        XCTAssertNotNil(try GocuaRegister.openEncrypted(path: dir.appendingPathComponent("d.db").path, keys: keys, lang: .vi))

        let issues = try validateMember(input: member("  ", .head, idNumber: "abc"), lang: .vi)
        XCTAssertTrue(issues.contains { $0.field == "member.id_number" && $0.message == "Số định danh cá nhân phải gồm đúng 12 chữ số." })
        XCTAssertTrue(issues.contains { $0.field == "member.full_name" })
    }
}
