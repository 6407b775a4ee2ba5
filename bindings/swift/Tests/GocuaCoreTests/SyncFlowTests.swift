import Foundation
import XCTest
import GocuaCore

/// The volunteer's whole flow with a commune hub on 127.0.0.1 and a second device in Rust: enrol
/// with a pairing code, register, sync with progress, see the household on the hub, read the sync
/// status, and after the second device edits the same household, see the merged result and the
/// conflict to review.
final class SyncFlowTests: XCTestCase {
    func testEnrolRegisterSyncAndReviewAConflict() throws {
        let dir = tempDir()
        let hub = try HubFixture(dir: dir.appendingPathComponent("hub"))
        defer { hub.stop() }
        let phone = try GocuaRegister.createEncrypted(
            path: dir.appendingPathComponent("phone.db").path, volunteerId: "vol-01", communeCode: commune,
            keys: MemoryKeyStore(), lang: .vi)
        XCTAssertNil(try phone.syncStatus(), "not enrolled yet")

        // Enrol with a pairing code from the coordinator.
        guard case .PairingInvalid = thrown({ try phone.enrol(hubUrl: hub.url, pairingCode: "AAAA-BBBB-CC", pinSha256: nil) })
        else { return XCTFail("a wrong pairing code is PairingInvalid") }
        let enrolment = try phone.enrol(hubUrl: hub.url, pairingCode: try hub.send("pair vol-01"), pinSha256: nil)
        XCTAssertEqual(enrolment.area.communeCode, commune)
        let hamletId = try XCTUnwrap(enrolment.area.hamlets.first?.id)
        XCTAssertEqual(try phone.hamlets(communeCode: commune).map(\.id), [hamletId])

        // Register a household with members, set checklist items, read the guided steps.
        let hid = try phone.createHousehold(input: household(hamletId)).id
        let an = try phone.addConsented(
            householdId: hid,
            input: member("Nguyễn Văn An", .head, birth: "1990-05-01", gender: .male, idNumber: "001090012345")).id
        _ = try phone.addConsented(householdId: hid, input: member("Trần Thị Hoa", .wife, birth: "1992", gender: .female))
        try phone.setChecklist(householdId: hid, memberId: an, item: .vneidInstalled, status: .done, reason: nil, smartphone: nil)
        try phone.setChecklist(householdId: hid, memberId: an, item: .vneidLevel1, status: .inProgress, reason: nil, smartphone: nil)
        XCTAssertGreaterThanOrEqual(onboardingGuide(item: .vneidLevel1, lang: .vi).steps.count, 3)

        // A bad ID number: a validation error with the Vietnamese message.
        let bad = validationIssues(thrown {
            try phone.setMemberField(householdId: hid, memberId: an, update: .idNumber(value: "00109001234"))
        })
        XCTAssertEqual(bad.map(\.message), ["Số định danh cá nhân phải gồm đúng 12 chữ số."])

        // Sync, with progress reported.
        let progress = ProgressRecorder()
        let report = try phone.sync(progress: progress, cancel: SyncCancellation())
        XCTAssertEqual(report.outcome, .success)
        XCTAssertEqual(report.pushed, 1)
        XCTAssertEqual(report.pendingAfter, 0)
        XCTAssertTrue(progress.phases.contains(.sending), "progress: \(progress.phases)")
        XCTAssertEqual(progress.phases.last, .done)

        // The household is on the hub; the status says so.
        XCTAssertTrue(try hub.send("hub-households").split(separator: " ").map(String.init).contains(hid))
        XCTAssertEqual(try hub.send("hub-member-name \(hid) \(an)"), "Nguyễn Văn An")
        let status = try XCTUnwrap(try phone.syncStatus())
        XCTAssertEqual(status.pending, 0)
        XCTAssertNotNil(status.lastSuccessAt)
        XCTAssertNil(status.lastError)
        XCTAssertEqual(status.hubUrl, hub.url)

        // A second device (Rust) receives the household and edits the name, while the phone
        // edits the same name and a checklist item offline.
        try hub.send("device-create vol-02")
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        XCTAssertEqual(try hub.send("device-name \(hid) \(an)"), "Nguyễn Văn An")
        try hub.send("device-rename \(hid) \(an) Nguyễn Văn Ân")
        _ = try phone.setMemberField(householdId: hid, memberId: an, update: .fullName(value: "Nguyễn Văn Anh"))
        try phone.setChecklist(householdId: hid, memberId: an, item: .vssid, status: .done, reason: nil, smartphone: nil)
        XCTAssertEqual(try phone.syncStatus()?.pending, 1)
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        let second = try phone.sync(progress: nil, cancel: nil)
        XCTAssertEqual(second.outcome, .success)
        XCTAssertEqual(second.pulled, 1)
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))

        // Both sides see the merged result and the conflict to review.
        let merged = try XCTUnwrap(try phone.household(householdId: hid).members.first { $0.id == an })
        XCTAssertEqual(merged.checklist.first { $0.item == .vssid }?.status, .done)
        XCTAssertEqual(try hub.send("device-name \(hid) \(an)"), merged.fullName, "both replicas read the same winner")
        let conflicts = try phone.conflicts(householdId: hid)
        XCTAssertEqual(conflicts.count, 1)
        let conflict = try XCTUnwrap(conflicts.first)
        XCTAssertEqual(conflict.field.key, "full_name")
        XCTAssertEqual(Set(conflict.values.map(\.value)), ["Nguyễn Văn Ân", "Nguyễn Văn Anh"])
        XCTAssertEqual(Set(conflict.values.compactMap(\.volunteerId)), ["vol-01", "vol-02"])
        XCTAssertEqual(try phone.summary(householdId: hid).conflictCount, 1)

        // The volunteer settles it; after syncing, the second device has the chosen name.
        try phone.resolveConflict(householdId: hid, field: conflict.field, value: "Nguyễn Văn Anh")
        XCTAssertEqual(try phone.sync(progress: nil, cancel: nil).outcome, .success)
        XCTAssertTrue(try hub.send("device-sync").hasPrefix("success"))
        XCTAssertEqual(try hub.send("device-name \(hid) \(an)"), "Nguyễn Văn Anh")
        XCTAssertEqual(try hub.send("hub-member-name \(hid) \(an)"), "Nguyễn Văn Anh")
        XCTAssertTrue(try phone.conflicts(householdId: hid).isEmpty)

        // A cancelled sync is an error; the change stays pending until the next sync.
        try phone.setChecklist(householdId: hid, memberId: an, item: .qrPayment, status: .done, reason: nil, smartphone: nil)
        let cancellation = SyncCancellation()
        guard case .Cancelled = thrown({
            try phone.sync(progress: ProgressRecorder(cancelAt: .preparing, cancellation: cancellation), cancel: cancellation)
        }) else { return XCTFail("a cancelled sync is GocuaError.Cancelled") }
        XCTAssertTrue(cancellation.isCancelled())
        XCTAssertEqual(try phone.syncStatus()?.pending, 1)
        XCTAssertNotNil(try phone.syncStatus()?.lastError)
        XCTAssertEqual(try phone.sync(progress: nil, cancel: nil).outcome, .success)
        XCTAssertEqual(try phone.syncStatus()?.pending, 0)
        XCTAssertNil(try phone.syncStatus()?.lastError)
    }
}
