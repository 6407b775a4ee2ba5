import Foundation
import XCTest
import GocuaCore
@testable import GocuaKit

/// The platform rules of the iOS shell that need no device: pairing links, error texts, app lock,
/// and the root's "enrolled register" flag.
final class PlatformTests: XCTestCase {
    func testPairingLinkOpenedByTheCameraApp() {
        let p = PairingQr(code: "ABCD-EFGH-JK", hubUrl: "https://hub.xa-00004.vn:8443")
        XCTAssertEqual(PairingQr.parse("gocua://pair?code=ABCD-EFGH-JK&hub=https%3A%2F%2Fhub.xa-00004.vn%3A8443"), p)
        XCTAssertEqual(PairingQr.parse("GOCUA://PAIR?hub=https%3A%2F%2Fhub.xa-00004.vn%3A8443&code=ABCD-EFGH-JK"), p)
        XCTAssertNil(PairingQr.parse("gocua://pair?code=ABCD-EFGH-JK"))
        XCTAssertNil(PairingQr.parse("gocua://card?code=A&hub=https%3A%2F%2Fh.vn"))
        XCTAssertNil(PairingQr.parse("gocua://pair?code=A&hub=javascript%3Aalert(1)"))
        XCTAssertNil(PairingQr.parse("gocua://pair?code=A%20B&hub=https%3A%2F%2Fh.vn"))
        // the dashboard's text form still reads
        XCTAssertEqual(PairingQr.parse("GOCUA-PAIR:1:ABCD-EFGH-JK:https://hub.vn"), PairingQr(code: "ABCD-EFGH-JK", hubUrl: "https://hub.vn"))

        let app = AppState(directory: scratch(), store: MemoryStore(), lang: .en)
        let enrol = EnrolScreen(app: app)
        enrol.scanned("gocua://pair?code=ABCD-EFGH-JK&hub=https%3A%2F%2Fhub.example")
        XCTAssertEqual(enrol.pairingCode, "ABCD-EFGH-JK")
        XCTAssertEqual(enrol.hubUrl, "https://hub.example")
    }

    func testErrorsAreTheCoresWordsNotADump() {
        let t = Texts(.en)
        let text = Format.error(GocuaError.Network(reason: "connection refused"), t)
        XCTAssertEqual(text, "Cannot reach the commune hub; it will retry when online.\nconnection refused")
        XCTAssertFalse(Format.error(GocuaError.NotFound(reason: "no such household"), t).contains("GocuaError"))
        XCTAssertEqual(Format.error(GocuaError.NotFound(reason: "no such household"), t), "no such household")
        XCTAssertEqual(GocuaError.Validation(issues: [], reason: "2 problems").reason, "2 problems")
        XCTAssertEqual(ShownError(GocuaError.Revoked(reason: "revoked"), t).errorDescription,
                       "The commune revoked this phone: contact the coordinator.\nrevoked")
    }

    func testAPhoneWithoutPasscodeIsRefused() {
        let app = AppState(directory: scratch(), store: MemoryStore(), lang: .en, deviceSecure: { false })
        let enrol = EnrolScreen(app: app)
        XCTAssertTrue(enrol.lockRefusal?.hasPrefix("This phone has no passcode.") ?? false)
        enrol.volunteerId = "vol-01"
        enrol.commune = catalogUnit(code: "00004", lang: .en)
        enrol.hubUrl = "http://127.0.0.1:9"; enrol.pairingCode = "AAAA-BBBB-CC"
        enrol.submit()
        guard case .failed(let message) = enrol.state else { return XCTFail("\(enrol.state)") }
        XCTAssertEqual(message, enrol.lockRefusal)
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.registerURL.path), "no register is created")
        XCTAssertNil(AppLock.enrolRefusal(deviceSecure: true, Texts(.vi)))
        XCTAssertTrue(AppLock.enrolRefusal(deviceSecure: false, Texts(.vi))!.hasPrefix("Điện thoại này chưa đặt mật mã."))
    }

    func testAFailedEnrolmentLeavesNoEnrolledRegister() {
        let app = AppState(directory: scratch(), store: MemoryStore(), lang: .en)
        let enrol = EnrolScreen(app: app)
        enrol.volunteerId = "vol-01"
        enrol.commune = catalogUnit(code: "00004", lang: .en)
        enrol.hubUrl = "http://127.0.0.1:9"; enrol.pairingCode = "AAAA-BBBB-CC" // nothing listens there
        enrol.submit()
        guard case .failed = enrol.state else { return XCTFail("\(enrol.state)") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: app.registerURL.path), "the register was created")
        XCTAssertFalse(app.hasRegister, "but the root stays on enrolment until the hub accepted the phone")
    }
}
