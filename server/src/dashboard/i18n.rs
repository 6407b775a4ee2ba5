//! The dashboard's words in Vietnamese (the default) and English.

use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Picks the word of this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// key, Vietnamese, English.
const WORDS: &[(&str, &str, &str)] = &[
    (
        "app",
        "gocua · Bảng điều phối xã",
        "gocua · Commune dashboard",
    ),
    ("overview", "Tổng quan", "Overview"),
    ("sync", "Đồng bộ", "Sync report"),
    ("quality", "Chất lượng dữ liệu", "Data quality"),
    ("households", "Hộ gia đình", "Households"),
    ("devices", "Thiết bị", "Devices"),
    ("exports", "Xuất báo cáo", "Exports"),
    ("audit", "Nhật ký thao tác", "Audit log"),
    ("sign_in", "Đăng nhập", "Sign in"),
    ("sign_out", "Đăng xuất", "Sign out"),
    ("coordinator_id", "Mã cán bộ điều phối", "Coordinator id"),
    ("password", "Mật khẩu", "Password"),
    (
        "wrong_password",
        "Sai mã cán bộ hoặc mật khẩu. Không có gì thay đổi.",
        "Wrong coordinator id or password. Nothing was changed.",
    ),
    ("signed_out", "Đã đăng xuất.", "Signed out."),
    ("switch_lang", "English", "Tiếng Việt"),
    ("commune", "Xã", "Commune"),
    ("hh_registered", "Hộ đã đăng ký", "Households registered"),
    ("members", "Nhân khẩu", "Members"),
    ("member", "Thành viên", "Member"),
    ("visits_week", "Lượt thăm hộ tuần này", "Visits this week"),
    (
        "five_skills_hh",
        "Hộ có người thành thạo 5 kỹ năng số cơ bản",
        "Households with a member with the 5 basic digital skills",
    ),
    (
        "hamlet_progress",
        "Tiến độ theo thôn: mọi hộ có người thành thạo 5 kỹ năng số cơ bản",
        "Progress per hamlet: every household has a member with the 5 basic digital skills",
    ),
    ("hamlet", "Thôn", "Hamlet"),
    (
        "hamlet_progress_hint",
        "Thôn chậm nhất ở trên: ít hộ đăng ký nhất so với số hộ dự kiến, rồi ít hộ có người đủ 5 kỹ năng số nhất. Tỷ lệ các chỉ tiêu tính trên số người trong thôn.",
        "Hamlets that lag most come first: fewest households registered against those expected, then fewest households with someone with the 5 digital skills. Indicator rates are of the hamlet's people.",
    ),
    (
        "registered_of_expected",
        "Đã đăng ký / dự kiến",
        "Registered / expected",
    ),
    ("map", "Bản đồ hộ", "Map of households"),
    ("map_nav", "Bản đồ", "Map"),
    ("all_hamlets", "Cả xã", "Whole commune"),
    ("colour_by", "Tô màu theo", "Colour by"),
    (
        "by_progress",
        "Tiến độ kỹ năng số",
        "Digital-skills progress",
    ),
    ("by_visits", "Lần thăm", "Visits"),
    (
        "map_five",
        "Có người đủ 5 kỹ năng số",
        "Someone with the 5 skills",
    ),
    ("map_some", "Đã đạt một số mục", "Some items achieved"),
    ("map_none", "Chưa đạt mục nào", "No item yet"),
    (
        "map_recent",
        "Thăm trong 30 ngày",
        "Visited in the last 30 days",
    ),
    ("map_earlier", "Thăm trước đó", "Visited earlier"),
    ("map_never", "Chưa có lần thăm", "Never visited"),
    (
        "map_far",
        "hộ có vị trí cách xa các hộ khác hơn 20 km nên không vẽ (xem trang Chất lượng dữ liệu).",
        "households lie more than 20 km from the others and are not drawn (see Data quality).",
    ),
    (
        "map_unplaced",
        "hộ chưa có vị trí (Plus Code) nên không có trên bản đồ.",
        "households have no position (Plus Code) and are not on the map.",
    ),
    (
        "map_hint",
        "Vẽ từ vị trí của chính các hộ, không cần Internet. Bấm một điểm để mở hộ.",
        "Drawn from the households' own positions, no Internet needed. Click a point to open the household.",
    ),
    (
        "activity",
        "Hoạt động tình nguyện viên",
        "Volunteer activity",
    ),
    ("activity_nav", "Hoạt động", "Activity"),
    ("devices_col", "Thiết bị", "Devices"),
    ("from_day", "Từ ngày", "From"),
    ("to_day", "Đến ngày", "To"),
    ("show", "Xem", "Show"),
    (
        "activity_hint",
        "Trong khoảng ngày đã chọn: hộ đăng ký mới, lần thăm lại, mục hỗ trợ đạt được (chỉ của người đồng ý chia sẻ với xã). Dòng tô màu: không có hoạt động nào trong hơn 7 ngày. Thiết bị quá hạn: không đồng bộ được trong",
        "In the chosen days: households registered, later visits, set-up items achieved (of people who share with the commune). Highlighted: nothing recorded for more than 7 days. Overdue device: no successful sync within",
    ),
    ("visits_word", "Lần thăm lại", "Later visits"),
    ("items_done", "Mục đạt được", "Items achieved"),
    ("per_day", "Theo ngày", "Per day"),
    ("last_activity", "Hoạt động gần nhất", "Last activity"),
    ("days_ago", "ngày trước", "days ago"),
    (
        "bad_range",
        "Ngày không đúng dạng năm-tháng-ngày; đang hiện khoảng ngày mặc định.",
        "A date is not year-month-day; showing the default range of days.",
    ),
    ("print_cards", "In phiếu hộ", "Print household cards"),
    (
        "print_hint",
        "Mỗi hộ một phiếu: mã QR, Plus Code, địa chỉ số và việc cần làm tiếp của từng người (chỉ người đồng ý chia sẻ với xã). Dùng lệnh In của trình duyệt.",
        "One card per household: QR code, Plus Code, digital address and each person's next steps (only people who share with the commune). Use the browser's Print.",
    ),
    ("households_word", "hộ", "households"),
    ("page_word", "trang", "page"),
    ("no_target", "(chưa đặt số dự kiến)", "(no target)"),
    ("ind_vneid2", "Định danh mức 2", "VNeID level 2"),
    (
        "ind_public_service",
        "TK dịch vụ công",
        "Public-service account",
    ),
    ("ind_cashless", "Thanh toán QR", "Paid by QR"),
    (
        "targets",
        "Số hộ dự kiến theo thôn",
        "Expected households per hamlet",
    ),
    (
        "targets_hint",
        "Theo sổ hộ khẩu/cư trú hoặc khảo sát trước. Để trống để bỏ.",
        "From the residence register or an earlier survey. Leave blank to remove.",
    ),
    (
        "targets_saved",
        "Đã lưu số hộ dự kiến.",
        "Expected households saved.",
    ),
    ("save", "Lưu", "Save"),
    (
        "item_completion",
        "Hoàn thành theo hạng mục (số người)",
        "Completion per checklist item (people)",
    ),
    (
        "over_time",
        "Đăng ký hộ và hạng mục hoàn thành theo thời gian (cộng dồn)",
        "Registrations and completed items over time (cumulative)",
    ),
    ("registrations", "Hộ đăng ký", "Households registered"),
    ("completed_items", "Hạng mục hoàn thành", "Completed items"),
    ("no_data", "Chưa có dữ liệu.", "No data yet."),
    ("volunteer", "Tình nguyện viên", "Volunteer"),
    ("device", "Thiết bị", "Device"),
    ("area", "Địa bàn", "Area"),
    (
        "last_success",
        "Đồng bộ thành công gần nhất",
        "Last successful sync",
    ),
    ("never", "chưa bao giờ", "never"),
    (
        "pending",
        "Thay đổi chưa gửi (máy báo)",
        "Pending changes (reported)",
    ),
    (
        "recent",
        "7 ngày qua: phiên / hộ / dung lượng",
        "Last 7 days: sessions / docs / bytes",
    ),
    ("last_error", "Lỗi gần nhất", "Last error"),
    (
        "stale_threshold",
        "Cảnh báo khi chưa đồng bộ quá (giờ)",
        "Highlight when not synced for more than (hours)",
    ),
    ("stale", "quá hạn", "overdue"),
    ("revoked", "đã thu hồi", "revoked"),
    (
        "wiped_at",
        "máy đã xoá dữ liệu lúc",
        "the phone wiped its data at",
    ),
    (
        "not_wiped",
        "máy chưa xác nhận xoá dữ liệu (chưa kết nối lại)",
        "the phone has not confirmed a wipe yet (not connected since)",
    ),
    ("active", "hoạt động", "active"),
    ("session_log", "Nhật ký phiên đồng bộ", "Session log"),
    ("started", "Bắt đầu", "Started"),
    ("ended", "Kết thúc", "Ended"),
    ("outcome", "Kết quả", "Outcome"),
    ("docs_up", "Hộ gửi lên", "Docs up"),
    ("docs_down", "Hộ nhận về", "Docs down"),
    ("bytes", "Dung lượng", "Bytes"),
    ("rejected", "Bị từ chối", "Rejected"),
    ("details", "Chi tiết", "Details"),
    ("duplicates", "Nghi trùng lặp", "Duplicate candidates"),
    (
        "same_id",
        "Cùng số định danh ở hai hộ",
        "Same ID number in two households",
    ),
    (
        "same_phone",
        "Cùng số điện thoại ở hai hộ",
        "Same phone in two households",
    ),
    (
        "same_place",
        "Cùng Plus Code, tên chủ hộ gần giống",
        "Same Plus Code and similar head name",
    ),
    ("not_duplicate", "Không phải trùng lặp", "Not a duplicate"),
    ("why_duplicate", "Vì sao nghi trùng", "Why they look alike"),
    (
        "restored_note",
        "Máy chủ xã được khôi phục từ bản sao lưu lúc",
        "The commune hub was restored from a backup at",
    ),
    ("generation", "thế hệ", "generation"),
    (
        "refilled_by",
        "Đã gửi bù những hộ máy chủ thiếu",
        "Sent back what the hub lacked",
    ),
    (
        "not_synced_since",
        "Chưa đồng bộ lại sau khi khôi phục",
        "Not synced since the restore",
    ),
    ("recent_merges", "Gộp hộ gần đây", "Recent merges"),
    ("unmerge", "Hoàn tác", "Undo"),
    (
        "unmerge_confirm",
        "Hoàn tác việc gộp? Hai hộ trở lại như trước khi gộp.",
        "Undo the merge? Both households return to what they were before it.",
    ),
    ("unmerged_state", "Đã hoàn tác", "Undone"),
    (
        "merge_synced",
        "Điện thoại đã nhận, không hoàn tác được",
        "Phones have it; cannot be undone",
    ),
    ("unmerged", "Đã hoàn tác việc gộp.", "The merge was undone."),
    (
        "edited",
        "Đã sửa. Điện thoại nhận thay đổi ở lần đồng bộ tới.",
        "Corrected. Phones receive the change at their next sync.",
    ),
    ("correct_title", "Sửa thông tin", "Correct a field"),
    (
        "correct_intro",
        "Sửa một trường của hộ hoặc của một người đã đồng ý chia sẻ với xã. Giá trị được kiểm tra như trên điện thoại; thay đổi ghi tên anh/chị trong lịch sử. Giới tính, quan hệ, cư trú nhập theo mã hoặc tên (nam/nữ, chu_ho, Vợ, Con đẻ…).",
        "Correct a field of the household or of a person who shares with the commune. The value is checked as on a phone; the change carries your name in the history. Gender, relation and residence take a code or a label (male/female, chu_ho, Wife, Child…).",
    ),
    ("whose", "Của", "Of"),
    ("new_value", "Giá trị mới", "New value"),
    ("to_check", "Cần kiểm tra", "To check"),
    (
        "refused_docs",
        "Hộ bị máy chủ từ chối",
        "Households the hub refused",
    ),
    ("reason", "Lý do", "Reason"),
    (
        "refused_intro",
        "Hộ vẫn nằm trên điện thoại và được gửi lại ở mỗi lần đồng bộ; dòng này mất khi điện thoại gửi bản đã sửa.",
        "The household stays on the phone and is sent again at every sync; the row goes when the phone sends a fixed version.",
    ),
    ("compare_merge", "So sánh và gộp…", "Compare and merge…"),
    ("merge_title", "Gộp hai hộ", "Merge two households"),
    (
        "merge_intro",
        "Hộ được giữ nhận mọi thành viên (người trùng theo số định danh, hoặc họ tên và ngày sinh, được gộp làm một), mục hỗ trợ (giữ trạng thái tiến xa hơn), lần thăm và lần đồng ý của hộ kia; hộ kia được đánh dấu đã gộp và điện thoại chuyển sang hộ được giữ.",
        "The kept household receives every member of the other (people found in both, by ID number or by name and birth, become one), checklist items (the more advanced status), visits and consents; the other is marked merged and phones open the kept one instead.",
    ),
    ("keep_this_household", "Giữ hộ này", "Keep this household"),
    ("registered_by", "Người đăng ký", "Registered by"),
    ("items_achieved", "Mục đã đạt", "Items achieved"),
    (
        "merge_confirm",
        "Gộp hai hộ? Hộ kia được đánh dấu đã gộp; thay đổi được gửi tới các điện thoại ở lần đồng bộ sau.",
        "Merge the two households? The other is marked merged; phones receive the change at their next sync.",
    ),
    (
        "merged",
        "Đã gộp hai hộ.",
        "The two households were merged.",
    ),
    (
        "warnings",
        "Cảnh báo kiểm tra dữ liệu",
        "Validation warnings",
    ),
    ("conflicts", "Xung đột cần xem xét", "Conflicts to review"),
    ("field", "Trường", "Field"),
    ("keep_this", "Giữ giá trị này", "Keep this value"),
    ("by", "bởi", "by"),
    (
        "resolved",
        "Đã giải quyết xung đột. Các máy sẽ nhận ở lần đồng bộ tới.",
        "Conflict resolved. Devices receive it at their next sync.",
    ),
    ("nothing", "Không có.", "None."),
    (
        "search",
        "Tìm (không cần dấu)",
        "Search (diacritics optional)",
    ),
    ("search_btn", "Tìm", "Search"),
    ("head", "Chủ hộ", "Head"),
    ("address", "Địa chỉ", "Address"),
    ("found", "hộ", "households"),
    ("household", "Hộ", "Household"),
    ("name", "Họ tên", "Full name"),
    ("birth", "Năm sinh", "Birth"),
    ("gender", "Giới tính", "Gender"),
    ("relation", "Quan hệ với chủ hộ", "Relation to head"),
    ("id_number", "Số định danh", "ID number"),
    ("phone", "Điện thoại", "Phone"),
    ("residence", "Cư trú", "Residence"),
    ("checklist", "Hạng mục hỗ trợ", "Checklist"),
    ("consent", "Đồng ý xử lý dữ liệu", "Consent"),
    ("consent_local", "Sổ địa phương", "Local register"),
    ("consent_help", "Hỗ trợ tạo tài khoản", "Set-up help"),
    ("consent_share", "Chia sẻ với xã", "Share with commune"),
    ("no_consent", "chưa có / đã rút", "none / withdrawn"),
    (
        "not_shared",
        "(chưa đồng ý chia sẻ với xã)",
        "(not shared with the commune)",
    ),
    (
        "not_shared_note",
        "người chưa đồng ý chia sẻ thông tin với xã: chỉ được đếm, không hiển thị.",
        "people have not agreed to share with the commune: counted, not shown.",
    ),
    ("visits", "Lượt thăm", "Visits"),
    ("date", "Ngày", "Date"),
    ("note", "Ghi chú", "Note"),
    ("digital_address", "Địa chỉ số", "Digital address"),
    ("card", "Thẻ hộ gia đình", "Household card"),
    ("history", "Lịch sử thay đổi", "History"),
    ("when", "Khi nào", "When"),
    ("who", "Ai", "Who"),
    ("what", "Thay đổi", "What"),
    ("pair", "Cấp mã ghép thiết bị", "Issue a pairing code"),
    ("hours_valid", "Hiệu lực (giờ)", "Valid for (hours)"),
    ("issue", "Cấp mã", "Issue code"),
    (
        "pair_code",
        "Mã ghép (dùng một lần)",
        "Pairing code (single use)",
    ),
    (
        "pair_hint",
        "Quét mã QR hoặc nhập mã trên điện thoại của tình nguyện viên.",
        "Scan the QR or type the code on the volunteer's phone.",
    ),
    ("revoke", "Thu hồi", "Revoke"),
    (
        "revoke_confirm",
        "Thu hồi thiết bị này?",
        "Revoke this device?",
    ),
    ("revoked_ok", "Đã thu hồi thiết bị.", "Device revoked."),
    ("pairings", "Mã ghép đã cấp", "Pairing codes issued"),
    ("reference", "Số tham chiếu", "Reference"),
    ("issued_by", "Người cấp", "Issued by"),
    ("issued_at", "Cấp lúc", "Issued"),
    ("expires", "Hết hạn", "Expires"),
    ("pairing_open", "chưa dùng", "not used yet"),
    ("pairing_used", "đã dùng", "used"),
    ("pairing_cancelled", "đã huỷ", "cancelled"),
    ("pairing_expired", "hết hạn", "expired"),
    ("cancel_code", "Huỷ mã", "Cancel code"),
    (
        "cancel_code_confirm",
        "Huỷ mã ghép này? Điện thoại sẽ không ghép được bằng mã này nữa.",
        "Cancel this pairing code? No phone will be able to enrol with it.",
    ),
    (
        "pairing_cancelled_ok",
        "Đã huỷ mã ghép.",
        "Pairing code cancelled.",
    ),
    ("erasure", "Yêu cầu xoá dữ liệu", "Erasure requests"),
    (
        "erasure_intro",
        "Người dân có quyền yêu cầu xoá dữ liệu cá nhân (Luật 91/2025/QH15). Tình nguyện viên ghi yêu cầu trên điện thoại; xã quyết định. Khi đồng ý, dữ liệu bị xoá khỏi máy chủ ngay và khỏi mọi điện thoại ở lần đồng bộ tới; không thể hoàn tác.",
        "People have the right to have their personal data erased (Law 91/2025/QH15). Volunteers record the request on their phone; the commune decides. Once approved, the data is erased from the hub at once and from every phone at its next sync; this cannot be undone.",
    ),
    ("erasure_waiting", "Chờ quyết định", "Awaiting a decision"),
    ("erasure_decided", "Đã quyết định", "Decided"),
    ("erasure_whom", "Xoá dữ liệu của", "Erase the data of"),
    ("requested_at", "Ngày yêu cầu", "Requested"),
    ("decided_at", "Ngày quyết định", "Decided on"),
    (
        "erasure_confirm",
        "Xoá dữ liệu này khỏi máy chủ và mọi điện thoại? Không thể hoàn tác.",
        "Erase this data from the hub and every phone? This cannot be undone.",
    ),
    ("erasure_approve", "Đồng ý xoá", "Approve erasure"),
    ("erasure_refuse", "Từ chối", "Refuse"),
    ("erasure_pending", "Chờ quyết định", "Pending"),
    ("erasure_approved", "Đã xoá", "Erased"),
    ("erasure_refused", "Đã từ chối", "Refused"),
    (
        "erasure_approved_ok",
        "Đã xoá. Các điện thoại xoá bản sao ở lần đồng bộ tới.",
        "Erased. Phones drop their copy at their next sync.",
    ),
    (
        "erasure_refused_ok",
        "Đã từ chối; tình nguyện viên được báo ở lần đồng bộ tới.",
        "Refused; the volunteer is told at their next sync.",
    ),
    (
        "erased_ok",
        "Đã xoá. Các điện thoại xoá bản sao ở lần đồng bộ tới.",
        "Erased. Phones drop their copy at their next sync.",
    ),
    ("whole_household", "Cả hộ", "The whole household"),
    (
        "not_shown",
        "(không chia sẻ với xã)",
        "(not shared with the commune)",
    ),
    (
        "member_not_shown",
        "Một thành viên (không chia sẻ với xã)",
        "A member (not shared with the commune)",
    ),
    (
        "erase_here",
        "Xoá dữ liệu theo yêu cầu tại xã",
        "Erase on a request made at the commune office",
    ),
    ("erase_button", "Xoá dữ liệu", "Erase data"),
    (
        "exports_intro",
        "Báo cáo cho tỉnh: CSV (UTF-8, mở được bằng Excel) và XLSX. Số định danh được che, chỉ còn 4 số cuối; điện thoại còn 3 số cuối.",
        "Reports for the province: CSV (UTF-8, opens in Excel) and XLSX. ID numbers are masked to their last 4 digits, phones to their last 3.",
    ),
    ("export_households", "Hộ gia đình", "Households"),
    ("export_members", "Nhân khẩu", "Members"),
    (
        "export_progress",
        "Tiến độ theo thôn",
        "Progress per hamlet",
    ),
    (
        "xlsx_all",
        "Tất cả (XLSX, 3 trang)",
        "Everything (XLSX, 3 sheets)",
    ),
    ("action", "Thao tác", "Action"),
    ("target", "Đối tượng", "Target"),
    (
        "err_expired",
        "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại. Không có gì thay đổi.",
        "Your session has expired or is not valid. Please sign in again. Nothing was changed.",
    ),
    (
        "err_forged",
        "Biểu mẫu không hợp lệ (thiếu hoặc sai mã bảo vệ). Không có gì thay đổi. Hãy tải lại trang và thử lại.",
        "The form was not accepted (missing or wrong protection token). Nothing was changed. Reload the page and try again.",
    ),
    (
        "err_other_commune",
        "Dữ liệu này thuộc xã khác. Bạn chỉ xem được dữ liệu xã mình. Không có gì thay đổi.",
        "This belongs to another commune. You can only see your own commune. Nothing was changed.",
    ),
    (
        "err_read_only",
        "Tài khoản của bạn chỉ được xem. Không có gì thay đổi. Cán bộ xã phụ trách có thể sửa.",
        "Your account may only read. Nothing was changed. An editing commune officer can make the change.",
    ),
    ("read_only", "chỉ xem", "read only"),
    ("err_not_found", "Không tìm thấy.", "Not found."),
    (
        "err_invalid",
        "Dữ liệu nhập không hợp lệ. Không có gì thay đổi.",
        "The input is not valid. Nothing was changed.",
    ),
    (
        "err_stale",
        "Hộ này vừa thay đổi. Hãy xem lại rồi thử lại. Không có gì thay đổi.",
        "This household just changed. Review it and try again. Nothing was changed.",
    ),
    (
        "err_internal",
        "Lỗi máy chủ, thử lại sau.",
        "Hub error, try again later.",
    ),
    ("back_sign_in", "Đăng nhập lại", "Sign in again"),
    ("back_home", "Về trang tổng quan", "Back to the overview"),
    ("of", "trên", "of"),
    ("status", "Trạng thái", "Status"),
    ("enrolled", "Ngày ghép", "Enrolled"),
    ("members_count", "Số người", "Members"),
    (
        "open_interrupted",
        "dở dang / bị ngắt",
        "open / interrupted",
    ),
    (
        "masked_note",
        "Số định danh chỉ hiện 4 số cuối.",
        "ID numbers show their last 4 digits only.",
    ),
    ("lifecycle", "Tình trạng", "Status"),
    ("next", "Trang sau", "Next"),
    ("prev", "Trang trước", "Previous"),
    ("areas_nav", "Địa bàn", "Areas"),
    (
        "areas_hint",
        "Mỗi thôn giữ mã của nó mãi mãi: đổi tên chỉ đổi chữ người ta đọc. Điện thoại nhận thay đổi ở lần đồng bộ sau; gộp thôn chuyển cả các hộ, kể cả hộ điện thoại chưa gửi.",
        "A hamlet keeps its id for life: a rename changes only what people read. Phones receive changes at their next sync; a merge moves the households too, including those a phone has not sent yet.",
    ),
    ("rename", "Đổi tên", "Rename"),
    ("move_to_area", "Chuyển sang địa bàn", "Move to area"),
    ("move", "Chuyển", "Move"),
    ("merge_into", "Gộp vào thôn", "Merge into"),
    ("merge", "Gộp", "Merge"),
    ("retire", "Ngừng dùng", "Retire"),
    (
        "merge_hamlet_confirm",
        "Chuyển mọi hộ của thôn này sang thôn đã chọn rồi ngừng dùng thôn này?",
        "Move every household of this hamlet into the chosen one, then retire this hamlet?",
    ),
    (
        "retire_confirm",
        "Ngừng dùng thôn này? Thôn không còn hộ nào.",
        "Retire this hamlet? It has no household.",
    ),
    ("new_hamlet", "Thôn mới", "New hamlet"),
    ("add", "Thêm", "Add"),
    ("new_area", "Địa bàn mới", "New area"),
    ("area_name", "Tên địa bàn", "Area name"),
    ("area_code", "Mã địa bàn", "Area id"),
    (
        "hamlets_one_per_line",
        "Các thôn (mỗi dòng một thôn)",
        "Hamlets (one per line)",
    ),
    ("create", "Tạo", "Create"),
    (
        "area_created",
        "Đã tạo địa bàn {what}.",
        "Area {what} created.",
    ),
    (
        "hamlet_added",
        "Đã thêm thôn {what}.",
        "Hamlet {what} added.",
    ),
    (
        "hamlet_renamed",
        "Đã đổi tên thôn thành {what}.",
        "Hamlet renamed to {what}.",
    ),
    (
        "hamlet_moved",
        "Đã chuyển thôn sang địa bàn khác.",
        "Hamlet moved to the other area.",
    ),
    (
        "hamlet_merged",
        "Đã gộp thôn: chuyển {moved} hộ; thôn cũ ngừng dùng.",
        "Hamlets merged: {moved} households moved; the old hamlet is retired.",
    ),
    (
        "hamlet_merge_partial",
        "Đã chuyển {moved} hộ; {left} hộ chưa chuyển được (đang đồng bộ hoặc sai quy tắc), thôn cũ vẫn dùng. Thử lại sau.",
        "{moved} households moved; {left} could not be (syncing, or a rule they break), so the old hamlet stays. Try again later.",
    ),
    ("hamlet_retired", "Đã ngừng dùng thôn.", "Hamlet retired."),
    ("team_nav", "Cán bộ", "Coordinators"),
    (
        "coordinators",
        "Cán bộ của xã",
        "The commune's coordinators",
    ),
    ("coordinator", "Cán bộ", "Coordinator"),
    ("role", "Vai trò", "Role"),
    ("editor", "Được sửa", "Editor"),
    ("viewer", "Chỉ xem", "Viewer"),
    ("since", "Từ", "Since"),
    ("you", "bạn", "you"),
    ("no_password", "chưa có mật khẩu", "no password"),
    ("reset_password", "Đặt lại mật khẩu", "Reset password"),
    (
        "reset_confirm",
        "Cấp mật khẩu tạm mới? Các phiên đăng nhập của người này kết thúc.",
        "Issue a new temporary password? This person's sessions end.",
    ),
    ("remove", "Xóa", "Remove"),
    (
        "remove_coordinator_confirm",
        "Xóa tài khoản cán bộ này? Nhật ký vẫn giữ mã của họ.",
        "Remove this coordinator's account? The audit log keeps their id.",
    ),
    ("invite_coordinator", "Mời cán bộ", "Invite a coordinator"),
    ("full_name", "Họ tên", "Full name"),
    ("invite", "Mời", "Invite"),
    ("temporary_password", "Mật khẩu tạm", "Temporary password"),
    (
        "temporary_password_hint",
        "Chỉ hiện một lần. Trao trực tiếp cho người này; họ đăng nhập rồi đổi ở trang Cán bộ.",
        "Shown once. Hand it over in person; they sign in and change it on the Coordinators page.",
    ),
    (
        "coordinator_invited",
        "Đã tạo tài khoản {id}.",
        "Account {id} created.",
    ),
    (
        "password_reset",
        "Đã cấp mật khẩu tạm mới cho {id}.",
        "New temporary password issued to {id}.",
    ),
    (
        "role_changed",
        "Đã đổi vai trò của {id}.",
        "Role of {id} changed.",
    ),
    (
        "coordinator_removed",
        "Đã xóa tài khoản {id}.",
        "Account {id} removed.",
    ),
    ("own_password", "Mật khẩu của bạn", "Your password"),
    ("current_password", "Mật khẩu hiện tại", "Current password"),
    (
        "new_password",
        "Mật khẩu mới (từ 8 ký tự)",
        "New password (8 characters or more)",
    ),
    ("change_password", "Đổi mật khẩu", "Change password"),
    (
        "password_changed",
        "Đã đổi mật khẩu. Hãy đăng nhập lại.",
        "Password changed. Sign in again.",
    ),
    (
        "device_moved",
        "Đã chuyển thiết bị sang địa bàn khác; máy nhận ở lần đồng bộ sau.",
        "Device moved to the other area; it follows at its next sync.",
    ),
    ("bundles_nav", "Gói đồng bộ", "Bundles"),
    (
        "bundles_title",
        "Gói đồng bộ từ thôn không có sóng",
        "Sync bundles from hamlets without coverage",
    ),
    (
        "bundles_intro",
        "Ở thôn không có sóng, điện thoại đóng gói phần việc chưa gửi thành một tệp đã mã hoá (gocua bundle seal, hoặc nút \"Đóng gói\" trên máy). Người mang tệp về (USB, máy tính) không đọc được gì. Tải các tệp lên đây: máy chủ kiểm tra từng gói rồi áp dụng như một lần đồng bộ của máy đó, và tạo trả lời để mang về cho đúng máy ấy.",
        "In a hamlet without coverage a phone seals the work it has not sent into one encrypted file (gocua bundle seal, or the phone's \"Seal\" button). Whoever carries it (a USB stick, a computer) can read nothing of it. Upload the files here: the hub checks each bundle, applies it as that phone's sync, and writes an answer to carry back to that phone alone.",
    ),
    (
        "bundles_files",
        "Tệp gói đồng bộ (.gocua), tối đa 50 tệp",
        "Sync bundle files (.gocua), up to 50",
    ),
    ("bundles_upload", "Tải lên và áp dụng", "Upload and apply"),
    ("bundles_uploaded", "Kết quả tải lên", "Upload results"),
    (
        "bundles_carry_back",
        "Tải trả lời ở bảng dưới và mang về cho từng máy (mở tệp trên máy đó).",
        "Download the answers below and carry them back to each phone (open the file on that phone).",
    ),
    ("bundles_received", "Gói đã nhận", "Bundles received"),
    ("bundles_at", "Lúc nhận", "Received"),
    ("bundles_phone", "Máy", "Phone"),
    ("bundles_via", "Mang đến bởi", "Brought by"),
    ("bundles_households", "Số hộ", "Households"),
    ("bundles_answer", "Trả lời", "Answer"),
    ("bundles_download", "Tải trả lời", "Download the answer"),
    (
        "bundles_none",
        "Chưa nhận gói đồng bộ nào.",
        "No sync bundle received yet.",
    ),
    ("bundle_applied", "Đã áp dụng", "Applied"),
    ("bundles_days", "ngày qua", "days"),
    ("bundles_received_n", "gói nhận", "received"),
    ("bundles_applied_n", "đã áp dụng", "applied"),
    ("bundles_refused_n", "bị từ chối", "refused"),
    ("bundle_via_carrier", "máy mang hộ", "carrier phone"),
    ("bundle_via_dashboard", "tải lên bởi", "uploaded by"),
    ("bundle_via_cli", "dòng lệnh,", "command line,"),
    (
        "bundle_uploaded_applied",
        "đã áp dụng: {n} hộ, {stored} đã lưu, {refused} bị từ chối.",
        "applied: {n} households, {stored} stored, {refused} refused.",
    ),
    (
        "bundle_too_many",
        "Chỉ nhận {n} tệp mỗi lần; tải phần còn lại lên lần sau.",
        "Only {n} files are taken at a time; upload the rest next.",
    ),
    ("import_nav", "Nhập danh sách", "Import"),
    (
        "import_title",
        "Nhập danh sách hộ xã đã có",
        "Import the commune's existing lists",
    ),
    (
        "import_intro",
        "Danh sách hộ xã đã có (trích từ cơ sở dữ liệu cư trú, điều tra trước): mỗi dòng một người, các dòng cùng mã hộ là một hộ. Hộ được nhập đến điện thoại của thôn với trạng thái \"cần xác minh tại nhà\": tình nguyện viên xác nhận hoặc sửa khi đến nhà, không phải gõ lại.",
        "A list the commune already has (from the residence register, an earlier survey): one row per person, the rows sharing a household key are one household. Imported households reach the hamlet's phones as \"to verify at the door\": the volunteer confirms or corrects there instead of typing again.",
    ),
    (
        "import_consent",
        "Trước khi gặp người dân chỉ nhập họ tên, quan hệ, giới tính, nơi cư trú và địa chỉ. Số định danh, số điện thoại, ngày sinh trong tệp không được nhập: cần người đó đồng ý, tình nguyện viên hỏi khi đến nhà.",
        "Before people are met, only names, relation, gender, residence type and the address are imported. ID numbers, phones and birth dates in the file are not: they need the person's consent, which the volunteer asks for at the door.",
    ),
    (
        "import_template",
        "Tải tệp mẫu (CSV)",
        "Download the template (CSV)",
    ),
    (
        "import_file",
        "Tệp CSV (UTF-8) hoặc Excel (.xlsx), tối đa 16 MB",
        "CSV (UTF-8) or Excel (.xlsx) file, 16 MB at most",
    ),
    (
        "import_check",
        "Kiểm tra (chưa nhập)",
        "Check (imports nothing)",
    ),
    ("import_result", "Kết quả kiểm tra", "What the check found"),
    ("import_households_new", "hộ mới", "new households"),
    ("import_people", "người", "people"),
    (
        "import_skipped",
        "hộ đã có, bỏ qua",
        "households already there, skipped",
    ),
    ("import_errors", "dòng có lỗi", "rows with errors"),
    (
        "import_confirm",
        "Nhập các hộ mới này? Chúng đến điện thoại của thôn ở lần đồng bộ sau.",
        "Import these new households? They reach the hamlets' phones at their next sync.",
    ),
    ("import_go", "Nhập", "Import"),
    (
        "import_fix_first",
        "Tệp còn lỗi nên chưa nhập gì. Sửa các dòng có lỗi rồi kiểm tra lại.",
        "The file has errors, so nothing is imported. Fix those rows and check again.",
    ),
    (
        "import_nothing_new",
        "Không có hộ mới để nhập.",
        "No new household to import.",
    ),
    ("import_line", "Dòng", "Line"),
    ("import_key", "Mã hộ", "Household key"),
    ("import_notes", "Ghi chú", "Notes"),
    ("import_new", "sẽ nhập", "to import"),
    ("import_already", "đã nhập trước", "imported before"),
    ("import_registered", "đã đăng ký", "registered already"),
    ("import_error", "lỗi", "error"),
    (
        "import_done",
        "Đã nhập {n} hộ, cần xác minh tại nhà.",
        "{n} households imported, to verify at the door.",
    ),
    (
        "to_verify_tile",
        "hộ từ danh sách xã, chờ xác minh tại nhà",
        "households from the commune's list, to verify at the door",
    ),
    (
        "trend_weeks",
        "Hộ đăng ký mỗi tuần (6 tuần)",
        "Registered per week (6 weeks)",
    ),
    ("province_nav", "Các xã của tỉnh", "The province's communes"),
    ("province_title", "Tiến độ các xã", "The communes' progress"),
    (
        "province_hint",
        "Số liệu tổng hợp của từng xã trên máy chủ này; không có hộ, họ tên hay số nào của người dân.",
        "Each commune's totals on this hub; no household, name or number of any person.",
    ),
    (
        "province_expected",
        "hộ dự kiến (các xã đã đặt)",
        "households expected (where set)",
    ),
    ("to_verify_short", "Chờ xác minh", "To verify"),
    ("province_overdue", "quá hạn đồng bộ", "overdue"),
    (
        "exports_range",
        "Hộ và nhân khẩu của các hộ đăng ký từ",
        "Households and members of the households registered from",
    ),
    (
        "exports_all",
        "Chọn khoảng ngày để xuất riêng các hộ đăng ký trong đó; không chọn thì xuất tất cả.",
        "Choose a range of days to export only the households registered in it; otherwise everything is exported.",
    ),
    ("paused", "tạm dừng", "paused"),
    ("pause", "Tạm dừng", "Pause"),
    ("resume", "Mở lại", "Resume"),
    (
        "device_paused",
        "Đã tạm dừng thiết bị: máy không đồng bộ được cho đến khi mở lại, dữ liệu trên máy vẫn giữ.",
        "Device paused: it cannot sync until resumed, and its data stays on it.",
    ),
    (
        "device_resumed",
        "Đã mở lại thiết bị: máy đồng bộ ở lần sau.",
        "Device resumed: it syncs at its next attempt.",
    ),
    (
        "move_household",
        "Chuyển hộ sang thôn khác",
        "Move the household to another hamlet",
    ),
    (
        "move_household_hint",
        "Khi tách thôn: tạo thôn mới ở trang Địa bàn, rồi chuyển từng hộ ở đây. Điện thoại của địa bàn nhận ở lần đồng bộ sau.",
        "To split a hamlet: create the new hamlet on the Areas page, then move its households here. The areas' phones follow at their next sync.",
    ),
    (
        "moved",
        "Đã chuyển hộ sang thôn khác.",
        "Household moved to the other hamlet.",
    ),
    (
        "print_sheet",
        "In phiếu mang về của hộ",
        "Print the household's take-home sheet",
    ),
];

static VI: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
static EN: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();

/// Every word of the language, by key (the templates' `t`).
pub fn strings(lang: Lang) -> &'static BTreeMap<&'static str, &'static str> {
    match lang {
        Lang::Vi => VI.get_or_init(|| WORDS.iter().map(|(k, vi, _)| (*k, *vi)).collect()),
        Lang::En => EN.get_or_init(|| WORDS.iter().map(|(k, _, en)| (*k, *en)).collect()),
    }
}

/// One word.
pub fn t(lang: Lang, key: &str) -> &'static str {
    strings(lang).get(key).copied().unwrap_or("")
}

/// Why the hub refused a pushed document, from the refusal's code, in words (the volunteer's
/// phone says the same in its own words; the code stays in brackets for support).
pub fn refusal_reason(lang: Lang, code: &str) -> String {
    let words = match code {
        "outside_area" => lang.pick(
            "hộ không thuộc địa bàn của máy này",
            "the household is not in this phone's area",
        ),
        "invalid" => lang.pick(
            "dữ liệu không hợp lệ (sửa trên điện thoại theo lý do đã báo)",
            "invalid data (fix it on the phone as its reason says)",
        ),
        "forged_actor" => lang.pick(
            "có thay đổi không do máy này thực hiện",
            "holds changes this phone did not make",
        ),
        "corrupt" => lang.pick("tài liệu hộ bị hỏng", "the household document is corrupt"),
        "bad_id" | "wrong_id" => lang.pick("mã hộ không hợp lệ", "an invalid household id"),
        "duplicate" => lang.pick("hộ bị gửi hai lần", "the household was sent twice"),
        "bad_epoch" => lang.pick(
            "bản sao cũ của một hộ đã xoá dữ liệu",
            "an old copy of a household whose data was erased",
        ),
        "missing_deps" => lang.pick(
            "máy chủ thiếu lịch sử của hộ",
            "the hub lacks the household's history",
        ),
        _ => lang.pick("máy chủ từ chối", "refused by the hub"),
    };
    format!("{words} ({code})")
}

/// An audit log action in words; an unknown one stays as recorded.
pub fn audit_action(lang: Lang, action: &str) -> String {
    let (vi, en) = match action {
        "sign_in" => ("Đăng nhập", "Sign in"),
        "sign_out" => ("Đăng xuất", "Sign out"),
        "form.refused" => ("Biểu mẫu bị từ chối", "Form refused"),
        "sync.threshold" => ("Đặt ngưỡng cảnh báo đồng bộ", "Sync alert threshold set"),
        "conflict.resolve" => ("Giải quyết xung đột", "Conflict resolved"),
        "duplicate.dismiss" => ("Không phải trùng lặp", "Not a duplicate"),
        "duplicate.merge" => ("Gộp hai hộ", "Households merged"),
        "duplicate.unmerge" => ("Hoàn tác gộp hộ", "Merge undone"),
        "household.view" => ("Xem hộ", "Household viewed"),
        "household.edit" => ("Sửa thông tin hộ", "Household field corrected"),
        "household.move" => (
            "Chuyển hộ sang thôn khác",
            "Household moved to another hamlet",
        ),
        "clock.correct" => (
            "Sửa thời gian theo đồng hồ máy",
            "Times corrected by a clock error",
        ),
        "device.pair" => ("Cấp mã ghép thiết bị", "Pairing code issued"),
        "device.revoke" => ("Thu hồi thiết bị", "Device revoked"),
        "device.unpair" => ("Huỷ mã ghép", "Pairing code cancelled"),
        "device.move" => (
            "Chuyển thiết bị sang địa bàn khác",
            "Device moved to another area",
        ),
        "device.pause" => ("Tạm dừng thiết bị", "Device paused"),
        "device.resume" => ("Mở lại thiết bị", "Device resumed"),
        "area.create_area" => ("Tạo địa bàn", "Area created"),
        "area.add_hamlet" => ("Thêm thôn", "Hamlet added"),
        "area.rename_hamlet" => ("Đổi tên thôn", "Hamlet renamed"),
        "area.move_hamlet" => (
            "Chuyển thôn sang địa bàn khác",
            "Hamlet moved to another area",
        ),
        "area.merge_hamlet" => ("Gộp thôn", "Hamlets merged"),
        "area.retire_hamlet" => ("Ngừng dùng thôn", "Hamlet retired"),
        "coordinator.invite" => ("Mời cán bộ", "Coordinator invited"),
        "coordinator.reset" => ("Đặt lại mật khẩu cán bộ", "Coordinator's password reset"),
        "coordinator.role" => ("Đổi vai trò cán bộ", "Coordinator's role changed"),
        "coordinator.remove" => ("Xóa tài khoản cán bộ", "Coordinator removed"),
        "coordinator.own_password" => ("Đổi mật khẩu của mình", "Own password changed"),
        "import.check" => ("Kiểm tra danh sách nhập", "List checked for import"),
        "import.apply" => ("Nhập danh sách hộ", "List imported"),
        "hamlet.target" => ("Sửa số hộ dự kiến", "Expected households set"),
        "erasure.erase" => ("Xoá dữ liệu", "Data erased"),
        "erasure.approve" => ("Chấp nhận yêu cầu xoá", "Erasure request approved"),
        "erasure.refuse" => ("Từ chối yêu cầu xoá", "Erasure request refused"),
        "export" => ("Tải báo cáo", "Export downloaded"),
        other => return other.to_owned(),
    };
    lang.pick(vi, en).to_owned()
}

/// An audit log outcome in words; an unknown one stays as recorded.
pub fn audit_outcome(lang: Lang, outcome: &str) -> String {
    let (vi, en) = match outcome {
        "ok" => ("Thành công", "Done"),
        "refused" => ("Bị từ chối", "Refused"),
        "refused_other_commune" => ("Bị từ chối: hộ của xã khác", "Refused: another commune's"),
        "wrong_password" => ("Sai mật khẩu", "Wrong password"),
        "nothing" => ("Không có gì để làm", "Nothing to do"),
        "rate_limited" => ("Quá nhiều lần thử", "Too many attempts"),
        other => return other.to_owned(),
    };
    lang.pick(vi, en).to_owned()
}

/// A sync error as recorded by the hub, in words.
pub fn sync_error(lang: Lang, raw: &str) -> String {
    let (outcome, detail) = raw.split_once(": ").unwrap_or((raw, ""));
    let what = match outcome {
        "partial" => lang.pick(
            "Một số hộ bị máy chủ từ chối (xem chất lượng dữ liệu)",
            "Some households were refused by the hub (see data quality)",
        ),
        "cancelled" => lang.pick(
            "Người dùng đã huỷ đồng bộ",
            "The sync was cancelled on the phone",
        ),
        "failed" => lang.pick("Đồng bộ thất bại", "The sync failed"),
        _ => lang.pick("Lỗi đồng bộ", "Sync error"),
    };
    let detail_words = match detail {
        "" | "some documents rejected" => String::new(),
        // The device's error kind (`gocua_core::sync::SyncError::kind`): a code, matched whole.
        "network" => lang
            .pick(" (mất kết nối mạng)", " (network lost)")
            .to_owned(),
        "local" => lang
            .pick(" (lỗi bộ nhớ máy)", " (phone storage error)")
            .to_owned(),
        d => format!(" ({d})"),
    };
    format!("{what}{detail_words}")
}
