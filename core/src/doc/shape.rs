//! The shape of a household document as a peer sent it, below what [`super::read`] reads: every
//! key of every object must be one this schema knows, and every string value (the winning one and
//! every conflicting one, which a person may later choose) must be of bounded length and free of
//! control and bidirectional-override characters. A typed read skips unknown keys and sees only
//! winning values, so a hostile peer could otherwise park anything there for every phone of the
//! area to download (`docs/SECURITY.md`, "Whole documents").

use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};

use super::HouseholdDoc;
use super::schema as k;
use crate::model::{ChecklistItem, is_valid_id};

/// The longest string value a document may hold anywhere, in characters (the longest field, a
/// household's notes or a visit's note, allows 2,000).
pub const MAX_STRING_CHARS: usize = 2_000;

const ROOT_KEYS: &[&str] = &[
    k::SCHEMA,
    k::ID,
    k::CREATED_AT,
    k::CREATED_BY,
    k::PROVINCE,
    k::COMMUNE,
    k::HAMLET,
    k::DATASET_VERSION,
    k::STREET,
    k::ALLEY,
    k::HOUSE_NUMBER,
    k::GPS,
    k::OFFICIAL_CODE,
    k::HEAD,
    k::NOTES,
    k::LIFECYCLE,
    k::MERGED_INTO,
    k::MEMBERS,
    k::VISITS,
    k::CONSENTS,
    k::ACTORS,
];
const MEMBER_KEYS: &[&str] = &[
    k::FULL_NAME,
    k::BIRTH,
    k::GENDER,
    k::RELATION,
    k::ID_NUMBER,
    k::PHONE,
    k::RESIDENCE,
    k::STATUS,
    k::CHECKLIST,
];
const ENTRY_KEYS: &[&str] = &[
    k::ENTRY_STATUS,
    k::ENTRY_REASON,
    k::ENTRY_SMARTPHONE,
    k::ENTRY_BY,
    k::ENTRY_AT,
    k::ENTRY_DEVICE,
];
const VISIT_KEYS: &[&str] = &[
    k::REC_ID,
    k::VISIT_DATE,
    k::REC_VOLUNTEER,
    k::REC_DEVICE,
    k::VISIT_OUTCOME,
    k::VISIT_NOTE,
    k::VISIT_FOLLOW_UP,
    k::REC_AT,
];
const CONSENT_KEYS: &[&str] = &[
    k::REC_ID,
    k::CONSENT_MEMBER,
    k::CONSENT_ACTION,
    k::CONSENT_LOCAL_REGISTER,
    k::CONSENT_SETUP_HELP,
    k::CONSENT_SHARE,
    k::CONSENT_NOTICE,
    k::CONSENT_METHOD,
    k::CONSENT_GUARDIAN,
    k::REC_VOLUNTEER,
    k::REC_DEVICE,
    k::REC_AT,
];

/// What is wrong at one place of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeProblem {
    /// A key this schema does not have (or a member id that is not an id).
    UnknownKey,
    /// A string longer than [`MAX_STRING_CHARS`].
    TooLong,
    /// A control character (other than a line break or tab) or a bidirectional override.
    Unprintable,
    /// An object where a string was expected, or the reverse.
    WrongType,
}

/// One finding: where (`members.<id>.checklist.<item>.reason`, `visits[3].note`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeIssue {
    pub path: String,
    pub problem: ShapeProblem,
}

/// Whether `c` may appear in stored text: no C0/C1 control but line break and tab, no
/// bidirectional embedding, override or isolate (they make text read differently than stored).
fn printable(c: char) -> bool {
    let control = c.is_control() && c != '\n' && c != '\t';
    let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    !control && !bidi
}

struct Walk<'a> {
    doc: &'a automerge::AutoCommit,
    out: Vec<ShapeIssue>,
}

impl Walk<'_> {
    fn flag(&mut self, path: String, problem: ShapeProblem) {
        self.out.push(ShapeIssue { path, problem });
    }

    /// The keys of `obj`, each with its value when it holds one (values written concurrently
    /// are read with `get_all`): one pass over the object instead of a seek per key.
    fn keys(&self, obj: &ObjId) -> Vec<(String, Option<(Value<'static>, ObjId)>)> {
        self.doc
            .map_range(obj, ..)
            .map(|i| {
                let single = (!i.conflict).then(|| (i.value.clone().into_value(), i.id()));
                (i.key.into_owned(), single)
            })
            .collect()
    }

    /// Every value at `key` (conflicting ones too): strings checked; objects handed to `nested`.
    fn values(
        &mut self,
        obj: &ObjId,
        key: &str,
        single: Option<(Value<'static>, ObjId)>,
        path: &str,
        nested: Nested,
    ) {
        let values = match single {
            Some(one) => vec![one],
            None => match self.doc.get_all(obj, key) {
                Ok(all) => all,
                Err(_) => return,
            },
        };
        for (value, id) in values {
            match (value, nested) {
                (Value::Scalar(s), Nested::None) => {
                    if let automerge::ScalarValue::Str(text) = s.as_ref() {
                        self.text(path, text);
                    }
                }
                (Value::Object(_), Nested::None) | (Value::Scalar(_), _) => {
                    self.flag(path.to_owned(), ShapeProblem::WrongType)
                }
                (Value::Object(kind), nested) => self.object(&id, kind, path, nested),
            }
        }
    }

    fn text(&mut self, path: &str, text: &str) {
        if text.chars().count() > MAX_STRING_CHARS {
            self.flag(path.to_owned(), ShapeProblem::TooLong);
        } else if !text.chars().all(printable) {
            self.flag(path.to_owned(), ShapeProblem::Unprintable);
        }
    }

    /// A map whose keys must be in `known`, each value a string.
    fn record(&mut self, obj: &ObjId, path: &str, known: &[&str]) {
        for (key, single) in self.keys(obj) {
            let at = format!("{path}.{key}");
            if known.contains(&key.as_str()) {
                self.values(obj, &key, single, &at, Nested::None);
            } else {
                self.flag(at, ShapeProblem::UnknownKey);
            }
        }
    }

    fn object(&mut self, obj: &ObjId, kind: ObjType, path: &str, nested: Nested) {
        match (nested, kind) {
            (Nested::Members, ObjType::Map) => {
                for (id, single) in self.keys(obj) {
                    let at = format!("{path}.{id}");
                    if is_valid_id(&id) {
                        self.values(obj, &id, single, &at, Nested::Member);
                    } else {
                        self.flag(at, ShapeProblem::UnknownKey);
                    }
                }
            }
            (Nested::Member, ObjType::Map) => {
                for (key, single) in self.keys(obj) {
                    let at = format!("{path}.{key}");
                    if key == k::CHECKLIST {
                        self.values(obj, &key, single, &at, Nested::Checklist);
                    } else if MEMBER_KEYS.contains(&key.as_str()) {
                        self.values(obj, &key, single, &at, Nested::None);
                    } else {
                        self.flag(at, ShapeProblem::UnknownKey);
                    }
                }
            }
            (Nested::Checklist, ObjType::Map) => {
                for (item, single) in self.keys(obj) {
                    let at = format!("{path}.{item}");
                    if ChecklistItem::from_code(&item).is_some() {
                        self.values(obj, &item, single, &at, Nested::Entry);
                    } else {
                        self.flag(at, ShapeProblem::UnknownKey);
                    }
                }
            }
            (Nested::Entry, ObjType::Map) => self.record(obj, path, ENTRY_KEYS),
            (Nested::Records(known), ObjType::List) => {
                let items: Vec<_> = self.doc.list_range(obj, ..).map(|i| i.id()).collect();
                for (n, item) in items.into_iter().enumerate() {
                    match self.doc.object_type(&item) {
                        Ok(ObjType::Map) => self.record(&item, &format!("{path}[{n}]"), known),
                        _ => self.flag(format!("{path}[{n}]"), ShapeProblem::WrongType),
                    }
                }
            }
            (Nested::Actors, ObjType::Map) => {
                for (actor, single) in self.keys(obj) {
                    let at = format!("{path}.{actor}");
                    if actor.len() > 128 || !actor.bytes().all(|b| b.is_ascii_hexdigit()) {
                        self.flag(at, ShapeProblem::UnknownKey);
                    } else {
                        self.values(obj, &actor, single, &at, Nested::None);
                    }
                }
            }
            _ => self.flag(path.to_owned(), ShapeProblem::WrongType),
        }
    }
}

/// What a value at a key is expected to hold.
#[derive(Clone, Copy)]
enum Nested {
    /// A string (or another scalar).
    None,
    Members,
    Member,
    Checklist,
    Entry,
    Records(&'static [&'static str]),
    Actors,
}

impl HouseholdDoc {
    /// Everything in the document that this schema does not allow, wherever it is; empty for a
    /// document written by a register.
    pub fn shape_issues(&self) -> Vec<ShapeIssue> {
        let mut walk = Walk {
            doc: &self.doc,
            out: Vec::new(),
        };
        for (key, single) in walk.keys(&ROOT) {
            let nested = match key.as_str() {
                k::MEMBERS => Nested::Members,
                k::VISITS => Nested::Records(VISIT_KEYS),
                k::CONSENTS => Nested::Records(CONSENT_KEYS),
                k::ACTORS => Nested::Actors,
                other if ROOT_KEYS.contains(&other) => Nested::None,
                _ => {
                    walk.flag(key.clone(), ShapeProblem::UnknownKey);
                    continue;
                }
            };
            walk.values(&ROOT, &key, single, &key, nested);
        }
        walk.out
    }
}
