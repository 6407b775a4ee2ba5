//! The notice read out (or shown) before a person consents, versioned: the version is recorded
//! with every consent event, so a new text needs a new version. Law 91/2025/QH15 and Decree
//! 356/2025/NĐ-CP ask that it says what is collected, for which purposes, and the person's rights.

/// Version of the notice below. `2025-07` was the shells' hard-coded version of an older text.
pub const VERSION: &str = "2026-01";

const TEXT_VI: &str = "Tổ công nghệ số cộng đồng xin phép ghi thông tin của ông/bà vào sổ của xã. \
Ông/bà tự chọn từng mục đích, có thể không đồng ý mục nào. Nếu đồng ý 'Lưu trong sổ của tổ', chúng tôi \
lưu ngày sinh, số định danh và số điện thoại; nếu đồng ý 'Hỗ trợ cài đặt tài khoản', chúng tôi ghi tiến \
độ hỗ trợ; nếu đồng ý 'Chia sẻ với UBND xã', thông tin được gửi về xã. Chúng tôi không bao giờ hỏi mật \
khẩu, mã OTP hay số tài khoản. Ông/bà có quyền xem, sửa, rút lại đồng ý và yêu cầu xoá dữ liệu bất cứ lúc \
nào; yêu cầu được trả lời trong 2 ngày làm việc.";

const TEXT_EN: &str = "The community digital technology team asks to record your information in the \
commune's register. You choose each purpose yourself and may refuse any. With 'Keep in the team's \
register' we store your birth date, ID number and phone; with 'Help setting up accounts' we record the \
progress of that help; with 'Share with the commune' the information goes to the commune office. We \
never ask for passwords, OTP codes or account numbers. You may see, correct, withdraw your consent \
and ask for your data to be erased at any time; requests are answered within 2 working days.";

/// The notice in Vietnamese or English.
pub fn text(english: bool) -> &'static str {
    if english { TEXT_EN } else { TEXT_VI }
}
