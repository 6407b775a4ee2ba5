import Foundation
import GocuaCore

/// The shell's static captions: titles and buttons that never depend on data. Every sentence with
/// a number, a name or a decision in it comes from the core's views.
public struct Captions: Sendable {
    public let lang: Language
    public init(_ lang: Language) { self.lang = lang }
    func pick(_ vi: String, _ en: String) -> String { lang == .en ? en : vi }

    public var languageSwitch: String { pick("EN", "VI") }
    public var registerHousehold: String { pick("Đăng ký hộ", "Register a household") }
    public var sync: String { pick("Đồng bộ", "Sync") }
    public var stop: String { pick("Dừng", "Stop") }
    public var bundles: String { pick("Gói đồng bộ", "Sync bundles") }
    public var sealedBundles: String { pick("Gói đã đóng trên máy này", "Bundles sealed on this phone") }
    public var carriedBundles: String { pick("Gói mang hộ máy khác", "Bundles carried for other phones") }
    public var handedOver: String { pick("Đã trao xong", "Handed over") }
    public var handHousehold: String { pick("Trao hộ cho máy khác", "Hand to another phone") }
    public var handTo: String { pick("Trao hộ này cho máy:", "Hand this household to:") }
    public var search: String { pick("Tìm theo tên, số điện thoại, số định danh", "Search by name, phone, ID number") }
    public var checkFirst: String { pick("Kiểm tra trước khi tạo hộ", "Check before creating a household") }
    public var name: String { pick("Họ tên", "Name") }
    public var phone: String { pick("Số điện thoại", "Phone") }
    public var idNumber: String { pick("Số định danh", "ID number") }
    public var households: String { pick("Các hộ", "Households") }
    public var paste: String { pick("Dán mã ghép đã sao chép", "Paste a copied pairing code") }
    public var scan: String { pick("Quét mã QR", "Scan the QR code") }
    public var print: String { pick("In", "Print") }
    public var members: String { pick("Thành viên", "Members") }
    public var edit: String { pick("Sửa", "Edit") }
    public var remove: String { pick("Không còn ở trong hộ", "No longer lives here") }
    public var consent: String { pick("Hỏi đồng ý", "Ask for consent") }
    public var checklist: String { pick("Hỗ trợ tài khoản số", "Account set-up") }
    public var card: String { pick("Phiếu hộ", "Household card") }
    public var conflicts: String { pick("Xung đột", "Conflicts") }
    public var corrections: String { pick("Sửa thông tin", "Corrections") }
    public var visit: String { pick("Ghi lần thăm", "Record a visit") }
    public var share: String { pick("Chia sẻ", "Share") }
    public var paperFormKept: String { pick("Đã giữ phiếu giấy", "Paper form kept") }
    public var guardian: String { pick("Người giám hộ", "Guardian") }
    public var purposes: String { pick("Mục đích", "Purposes") }
    public var method: String { pick("Cách đồng ý", "How consent is given") }
    public var skills: String { pick("5 kỹ năng số cơ bản", "5 basic digital skills") }
    public var nextSteps: String { pick("Việc tiếp theo", "Next steps") }
    public var items: String { pick("Tất cả các mục", "All items") }
    public var ok: String { pick("Đồng ý", "OK") }
    public var unexpectedError: String { pick("Lỗi không mong đợi.", "Unexpected error.") }
}

/// The register's key needs the phone's passcode (Keychain access control `.userPresence`,
/// `kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`): a phone without one is refused at enrolment.
/// A static sentence of the platform (the core knows nothing of passcodes).
public enum AppLock {
    public static func enrolRefusal(deviceSecure: Bool, _ lang: Language) -> String? {
        deviceSecure ? nil : Captions(lang).pick(
            "Điện thoại này chưa đặt mật mã. Sổ hộ trên máy chứa thông tin cá nhân nên chỉ được mở khi máy có mật mã: vào Cài đặt › Face ID & Mật mã (hoặc Touch ID & Mật mã), bật mật mã, rồi quay lại ghép máy.",
            "This phone has no passcode. The register holds personal data, so it only opens on a phone with a passcode: go to Settings › Face ID & Passcode (or Touch ID & Passcode), turn the passcode on, then come back to enrol.")
    }
}
