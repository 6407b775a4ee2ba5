//! A member of a household.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::checklist::{ChecklistEntry, ChecklistItem};
use super::coded_enum;
use super::ids::MemberId;

coded_enum! {
    pub enum Gender {
        Male => "male",
        Female => "female",
    }
}

coded_enum! {
    /// Thường trú (permanent) or tạm trú (temporary) residence.
    pub enum ResidenceType {
        Permanent => "thuong_tru",
        Temporary => "tam_tru",
    }
}

/// A date of birth, or the year alone when that is all the person knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BirthDate {
    Date(NaiveDate),
    Year(i32),
}

impl BirthDate {
    pub fn year(self) -> i32 {
        match self {
            BirthDate::Date(d) => d.year(),
            BirthDate::Year(y) => y,
        }
    }

    /// `YYYY-MM-DD` or `YYYY`: the form stored in documents.
    pub fn to_code(self) -> String {
        match self {
            BirthDate::Date(d) => d.format("%Y-%m-%d").to_string(),
            BirthDate::Year(y) => format!("{y:04}"),
        }
    }

    /// Parses `YYYY-MM-DD`, `DD/MM/YYYY` (the Vietnamese way of writing dates) or `YYYY`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok().map(BirthDate::Year);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
            .ok()
            .map(BirthDate::Date)
    }
}

macro_rules! relations {
    ($($variant:ident => $code:literal, $vi:literal, $en:literal;)+) => {
        coded_enum! {
            /// Relation to the head of household ("quan hệ với chủ hộ"), the set used in
            /// residence management. Versioned with [`Relation::LIST_VERSION`].
            pub enum Relation { $($variant => $code),+ }
        }

        impl Relation {
            pub fn label_vi(self) -> &'static str {
                match self { $(Relation::$variant => $vi),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $(Relation::$variant => $en),+ }
            }
        }
    };
}

relations! {
    Head => "chu_ho", "Chủ hộ", "Head of household";
    Wife => "vo", "Vợ", "Wife";
    Husband => "chong", "Chồng", "Husband";
    Father => "cha_de", "Cha đẻ", "Father";
    Mother => "me_de", "Mẹ đẻ", "Mother";
    FatherInLawOfHusband => "cha_vo", "Cha vợ", "Father-in-law (wife's father)";
    MotherInLawOfHusband => "me_vo", "Mẹ vợ", "Mother-in-law (wife's mother)";
    FatherInLawOfWife => "cha_chong", "Cha chồng", "Father-in-law (husband's father)";
    MotherInLawOfWife => "me_chong", "Mẹ chồng", "Mother-in-law (husband's mother)";
    AdoptiveFather => "cha_nuoi", "Cha nuôi", "Adoptive father";
    AdoptiveMother => "me_nuoi", "Mẹ nuôi", "Adoptive mother";
    Stepfather => "cha_duong", "Cha dượng", "Stepfather";
    Stepmother => "me_ke", "Mẹ kế", "Stepmother";
    Child => "con_de", "Con đẻ", "Child";
    DaughterInLaw => "con_dau", "Con dâu", "Daughter-in-law";
    SonInLaw => "con_re", "Con rể", "Son-in-law";
    AdoptedChild => "con_nuoi", "Con nuôi", "Adopted child";
    Stepchild => "con_rieng", "Con riêng của vợ hoặc chồng", "Stepchild";
    PaternalGrandfather => "ong_noi", "Ông nội", "Paternal grandfather";
    PaternalGrandmother => "ba_noi", "Bà nội", "Paternal grandmother";
    MaternalGrandfather => "ong_ngoai", "Ông ngoại", "Maternal grandfather";
    MaternalGrandmother => "ba_ngoai", "Bà ngoại", "Maternal grandmother";
    PaternalGreatGrandparent => "cu_noi", "Cụ nội", "Paternal great-grandparent";
    MaternalGreatGrandparent => "cu_ngoai", "Cụ ngoại", "Maternal great-grandparent";
    OlderBrother => "anh_ruot", "Anh ruột", "Older brother";
    OlderSister => "chi_ruot", "Chị ruột", "Older sister";
    YoungerSibling => "em_ruot", "Em ruột", "Younger sibling";
    HalfSiblingSameFather => "cung_cha_khac_me", "Anh/chị/em cùng cha khác mẹ", "Half-sibling (same father)";
    HalfSiblingSameMother => "cung_me_khac_cha", "Anh/chị/em cùng mẹ khác cha", "Half-sibling (same mother)";
    OlderBrotherInLaw => "anh_re", "Anh rể", "Brother-in-law (older sister's husband)";
    YoungerBrotherInLaw => "em_re", "Em rể", "Brother-in-law (younger sister's husband)";
    OlderSisterInLaw => "chi_dau", "Chị dâu", "Sister-in-law (older brother's wife)";
    YoungerSisterInLaw => "em_dau", "Em dâu", "Sister-in-law (younger brother's wife)";
    Nephew => "chau_ruot", "Cháu ruột", "Niece or nephew";
    PaternalGrandchild => "chau_noi", "Cháu nội", "Grandchild (son's child)";
    MaternalGrandchild => "chau_ngoai", "Cháu ngoại", "Grandchild (daughter's child)";
    GreatGrandchild => "chat_ruot", "Chắt ruột", "Great-grandchild";
    UncleOlder => "bac_ruot", "Bác ruột", "Uncle or aunt (parent's older sibling)";
    PaternalUncle => "chu_ruot", "Chú ruột", "Uncle (father's younger brother)";
    MaternalUncle => "cau_ruot", "Cậu ruột", "Uncle (mother's brother)";
    PaternalAunt => "co_ruot", "Cô ruột", "Aunt (father's sister)";
    MaternalAunt => "di_ruot", "Dì ruột", "Aunt (mother's sister)";
    Guardian => "nguoi_giam_ho", "Người giám hộ", "Guardian";
    Ward => "nguoi_duoc_giam_ho", "Người được giám hộ", "Ward (under guardianship)";
    Lodger => "o_nho", "Ở nhờ", "Lodger (free)";
    Borrower => "o_muon", "Ở mượn", "Lodger (borrowed)";
    Tenant => "o_thue", "Ở thuê", "Tenant";
    CoLodger => "cung_o_nho", "Cùng ở nhờ", "Co-lodger (free)";
    CoTenant => "cung_o_thue", "Cùng ở thuê", "Co-tenant";
    CoBorrower => "cung_o_muon", "Cùng ở mượn", "Co-lodger (borrowed)";
    Other => "khac", "Khác", "Other";
}

impl Relation {
    /// Version of the relation list; stored nowhere per record (codes are stable), reported by
    /// the catalog so that a changed official list can be detected.
    pub const LIST_VERSION: &'static str = "2025-residence-form";
}

/// A household member as read from the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    /// Full name in Unicode NFC.
    pub full_name: String,
    pub birth: Option<BirthDate>,
    pub gender: Option<Gender>,
    pub relation: Relation,
    /// Personal identification number (CCCD), 12 digits.
    pub id_number: Option<String>,
    /// Phone in national form (`0...`).
    pub phone: Option<String>,
    pub residence: ResidenceType,
    /// Set when the member left the household or died; kept so that history and sync stay whole.
    pub removed: bool,
    pub checklist: BTreeMap<ChecklistItem, ChecklistEntry>,
}
