import Foundation
import GocuaCore

/// Sentences the shell builds (with numbers in them) in the chosen language. Labels of coded
/// values come from the core; static labels from the app's Localizable strings.
public struct Texts: Sendable {
    public let lang: Language
    public init(_ lang: Language) { self.lang = lang }
    public func pick(_ vi: String, _ en: String) -> String { lang == .en ? en : vi }
    func households(_ n: Int) -> String { pick("\(n) hộ", n == 1 ? "1 household" : "\(n) households") }
    func members(_ n: Int) -> String { pick("\(n) người", n == 1 ? "1 member" : "\(n) members") }
    func visits(_ n: Int) -> String { pick("\(n) lần thăm", n == 1 ? "1 visit" : "\(n) visits") }
}

/// Formatting that is the shell's own: how things are shown. The rules (masking, when a
/// follow-up is due, a progress's percent) are the core's, called here.
public enum Format {
    /// An ID number as a list may show it: the core's mask (the last 4 digits).
    public static func maskIdNumber(_ id: String?) -> String { GocuaCore.maskIdNumber(value: id) }

    /// GPS accuracy in whole metres, in the core's words.
    public static func accuracy(_ m: Double, _ t: Texts) -> String { accuracyText(metres: m, lang: t.lang) }

    /// Coordinates to five decimals (the core's form).
    public static func coordinates(_ lat: Double, _ lon: Double) -> String { coordinatesText(lat: lat, lon: lon) }

    /// A position as the registration shows it (the core's sentence).
    public static func position(_ lat: Double, _ lon: Double, accuracyM: Double, pinned: Bool, _ t: Texts) -> String {
        positionText(lat: lat, lon: lon, accuracyM: accuracyM, pinned: pinned, lang: t.lang)
    }

    /// Percent of a progress, 0...100 (the core's rule).
    public static func percent(_ done: UInt64, _ total: UInt64) -> Int {
        Int(progressPercent(done: done, total: total))
    }

    /// Whether a list row's follow-up date (`YYYY-MM-DD`) is due on `today` (the core's rule).
    public static func isDue(_ followUpOn: String?, today: String) -> Bool {
        followUpIsDue(followUpOn: followUpOn, today: today)
    }

    /// An id shortened for a list or a title (the core's rule, as the dashboard shows it).
    public static func shortId(_ id: String) -> String { GocuaCore.shortId(id: id) }

    public static func day(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }

    /// What to tell the volunteer about a failed core call: the core's safe message (its `reason`,
    /// never the generated `errorDescription`, which is a `String(reflecting:)` dump of the enum)
    /// and a hint for the kinds a volunteer can act on.
    public static func error(_ e: Error, _ t: Texts) -> String {
        guard let g = e as? GocuaError else {
            if let l = e as? LocalizedError, let d = l.errorDescription { return d }
            return t.pick("Lỗi không mong đợi.", "Unexpected error.")
        }
        let hint: String?
        switch g {
        case .Network: hint = t.pick("Chưa kết nối được máy chủ xã; sẽ thử lại khi có mạng.", "Cannot reach the commune hub; it will retry when online.")
        case .NotEnrolled: hint = t.pick("Máy chưa ghép với xã: xin mã ghép từ điều phối viên.", "This phone is not enrolled: ask the coordinator for a pairing code.")
        case .Revoked: hint = t.pick("Xã đã thu hồi máy này: liên hệ điều phối viên.", "The commune revoked this phone: contact the coordinator.")
        case .PairingInvalid: hint = t.pick("Mã ghép sai, đã dùng hoặc hết hạn.", "The pairing code is wrong, used or expired.")
        case .UpdateRequired: hint = t.pick("Cần cập nhật ứng dụng.", "Update the app.")
        case .KeyStore, .WrongKey: hint = t.pick("Không mở được khóa của sổ trên máy (cần mã khóa màn hình).", "The register's key could not be opened on this phone (the passcode is needed).")
        default: hint = nil
        }
        let reason = g.reason
        return [hint, reason.isEmpty ? nil : reason].compactMap { $0 }.joined(separator: "\n")
    }
}

extension GocuaError {
    /// The core's message for this error: safe to show, never personal data.
    public var reason: String {
        switch self {
        case .Validation(_, let r), .NotFound(let r), .NotInitialised(let r), .AlreadyExists(let r),
             .WrongKey(let r), .KeyStore(let r), .Storage(let r), .UpdateRequired(let r), .NoConflict(let r),
             .InvalidInput(let r), .Network(let r), .NotEnrolled(let r), .Revoked(let r), .Unauthorized(let r),
             .PairingInvalid(let r), .Certificate(let r), .Hub(let r), .Cancelled(let r), .Internal(let r):
            return r
        }
    }
}

/// An error as the volunteer reads it (`Format.error`), for SwiftUI alerts and `Text`.
public struct ShownError: LocalizedError, Equatable, Sendable {
    public let message: String
    public init(_ e: Error, _ t: Texts) { message = Format.error(e, t) }
    public var errorDescription: String? { message }
}

/// The coordinator's pairing QR code, in either form:
/// - the link `gocua://pair?code=<code>&hub=<url-encoded hub url>`: the Camera app that reads it
///   opens the app (URL type `gocua` in project.yml), no scanner needed;
/// - the text `GOCUA-PAIR:1:<code>:<hub url>` written by the hub's dashboard today.
public struct PairingQr: Equatable {
    public let code: String
    public let hubUrl: String
    public init(code: String, hubUrl: String) { self.code = code; self.hubUrl = hubUrl }

    /// The pairing in a scanned or pasted text or link, or `nil`: the core reads it
    /// (`parsePairingPayload`, the one parser of the phones and the CLI).
    public static func parse(_ text: String) -> PairingQr? {
        guard let p = parsePairingPayload(text: text, lang: .vi).pairing else { return nil }
        return PairingQr(code: p.code, hubUrl: p.hubUrl)
    }
}

/// The register's key needs the phone's passcode (Keychain access control `.userPresence`,
/// `kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`): a phone without one is refused at enrolment.
public enum AppLock {
    public static func enrolRefusal(deviceSecure: Bool, _ t: Texts) -> String? {
        deviceSecure ? nil : t.pick(
            "Điện thoại này chưa đặt mật mã. Sổ hộ trên máy chứa thông tin cá nhân nên chỉ được mở khi máy có mật mã: vào Cài đặt › Face ID & Mật mã (hoặc Touch ID & Mật mã), bật mật mã, rồi quay lại ghép máy.",
            "This phone has no passcode. The register holds personal data, so it only opens on a phone with a passcode: go to Settings › Face ID & Passcode (or Touch ID & Passcode), turn the passcode on, then come back to enrol.")
    }
}

/// The core's validation findings of a form, beside their fields.
public struct Issues {
    public let all: [ValidationIssue]
    public init(_ all: [ValidationIssue] = []) { self.all = all }
    public var errors: [ValidationIssue] { all.filter { $0.severity == .error } }
    public var warnings: [ValidationIssue] { all.filter { $0.severity == .warning } }
    public var blocking: Bool { !errors.isEmpty }
    public func messages(for prefix: String) -> [String] {
        all.filter { $0.field == prefix || $0.field.hasPrefix(prefix + ".") }
            .map { ($0.severity == .error ? "⛔ " : "⚠ ") + $0.message }
    }
}
