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
    ("devices", "Thiết bị & địa bàn", "Devices & areas"),
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
    ("save", "Lưu", "Save"),
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
    (
        "hamlet_lists",
        "Danh sách thôn theo địa bàn",
        "Hamlet lists per area",
    ),
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
        "clock.correct" => (
            "Sửa thời gian theo đồng hồ máy",
            "Times corrected by a clock error",
        ),
        "device.pair" => ("Cấp mã ghép thiết bị", "Pairing code issued"),
        "device.revoke" => ("Thu hồi thiết bị", "Device revoked"),
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
