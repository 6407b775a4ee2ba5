//! Store tests that need its insides: migrations and rebuilds.

use chrono::{TimeZone, Utc};
use rusqlite::Connection;

use super::*;
use crate::doc::{ChangeContext, Edit};
use crate::input::{HouseholdInput, MemberInput};
use crate::model::*;

fn ctx() -> ChangeContext {
    ChangeContext {
        volunteer: VolunteerId("v1".into()),
        device: DeviceId("d1".into()),
        at: Utc.timestamp_opt(1_790_000_000, 0).unwrap(),
    }
}

fn sample_doc(n: usize) -> HouseholdDoc {
    let input = HouseholdInput {
        area: Area {
            province_code: "01".into(),
            commune_code: "00004".into(),
            hamlet_id: format!("thon-{}", n % 3),
        },
        address: Address {
            street: Some("Kim Mã".into()),
            alley: None,
            house_number: Some(n.to_string()),
        },
        gps: None,
        official: None,
        notes: None,
    };
    let mut doc =
        HouseholdDoc::create(&HouseholdId(format!("h{n}")), &input, "2026-07-25", &ctx()).unwrap();
    let member = MemberInput {
        full_name: format!("Nguyễn Văn {n}"),
        birth: Some(BirthDate::Year(1970)),
        gender: Some(Gender::Male),
        relation: Relation::Head,
        id_number: Some(format!("0010700{n:05}")),
        phone: Some(format!("09123{n:05}")),
        residence: ResidenceType::Permanent,
    };
    doc.apply(
        &Edit::AddMember {
            id: MemberId(format!("m{n}")),
            member,
        },
        &ctx(),
    )
    .unwrap();
    doc
}

/// Every schema object (normalised SQL), and every row of every query table, in a stable order.
fn dump(conn: &Connection) -> (Vec<String>, Vec<Vec<String>>) {
    let mut stmt = conn.prepare("SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name").unwrap();
    let schema = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|s| s.unwrap().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mut rows = Vec::new();
    // Row ids of the search index are an implementation detail: compare what they point at.
    for (table, columns, order) in [
        ("households", "*", "doc_id"),
        ("members", "*", "doc_id, member_id"),
        ("checklist", "*", "doc_id, member_id, item"),
        ("member_names", "doc_id, member_id", "doc_id, member_id"),
        ("pending_sync", "*", "doc_id"),
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT {columns} FROM {table} ORDER BY {order}"))
            .unwrap();
        let cols = stmt.column_count();
        let table_rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = vec![table.to_owned()];
                for i in 0..cols {
                    cells.push(format!("{:?}", r.get_ref(i)?));
                }
                Ok(cells.join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.push(table_rows);
    }
    (schema, rows)
}

#[test]
fn a_migrated_database_equals_a_fresh_one() {
    let dir = tempfile::tempdir().unwrap();

    // A real version-1 database with documents and query rows written the version-1 way.
    let old_path = dir.path().join("old.db");
    {
        let conn = Connection::open(&old_path).unwrap();
        conn.execute_batch(V1_SQL).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        for n in 0..5 {
            let mut doc = sample_doc(n);
            let h = doc.read().unwrap();
            tx.execute(
                "INSERT INTO doc_chunks (doc_id, seq, is_snapshot, bytes) VALUES (?1, 1, 1, ?2)",
                rusqlite::params![h.id.as_str(), doc.save()],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO households VALUES (?1, '01', '00004', ?2, ?3, ?4, ?5, NULL, 1, 'active', 0, 0, 0, NULL)",
                rusqlite::params![h.id.as_str(), h.area.hamlet_id, h.head_member().unwrap().full_name, crate::text::fold(&h.head_member().unwrap().full_name), index::address_line(&h)],
            )
            .unwrap();
            for m in h.members.values() {
                tx.execute(
                    "INSERT INTO members VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)",
                    rusqlite::params![
                        h.id.as_str(),
                        m.id.as_str(),
                        m.full_name,
                        crate::text::fold(&m.full_name),
                        m.phone,
                        m.id_number,
                        m.birth.map(|b| b.year()),
                        m.gender.map(|g| g.code()),
                        m.relation.code()
                    ],
                )
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let migrated = Store::open(&old_path, None).unwrap();
    let version: i64 = migrated
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);

    // A fresh database fed the same documents through the current code.
    let mut fresh = Store::open(&dir.path().join("fresh.db"), None).unwrap();
    for n in 0..5 {
        let mut doc = sample_doc(n);
        fresh
            .write(|tx| Store::save(tx, &mut doc, false).map(|_| ()))
            .unwrap();
    }
    fresh
        .write(|tx| {
            Ok(tx.execute(
                "INSERT INTO pending_sync SELECT DISTINCT doc_id, 0 FROM doc_chunks",
                [],
            )?)
        })
        .unwrap();

    assert_eq!(dump(migrated.conn()), dump(fresh.conn()));
    // The migrated full-text index answers searches.
    assert_eq!(
        search(migrated.conn(), "nguyen van 3", 10).unwrap().len(),
        1
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    assert!(matches!(
        Store::open(&path, None),
        Err(Error::SchemaTooNew { .. })
    ));
}

#[test]
fn query_tables_rebuild_from_documents_alone() {
    let mut store = Store::open_in_memory().unwrap();
    for n in 0..6 {
        let mut doc = sample_doc(n);
        store
            .write(|tx| Store::save(tx, &mut doc, true).map(|_| ()))
            .unwrap();
    }
    let before = dump(store.conn());
    store.conn().execute_batch("DELETE FROM households; DELETE FROM members; DELETE FROM member_names; DELETE FROM checklist; INSERT INTO member_search (member_search) VALUES ('delete-all');").unwrap();
    assert_eq!(store.rebuild_indexes().unwrap(), 6);
    assert_eq!(dump(store.conn()), before);
}

#[test]
fn chunks_compact_into_one_snapshot_without_losing_changes() {
    let mut store = Store::open_in_memory().unwrap();
    let mut doc = sample_doc(1);
    store
        .write(|tx| Store::save(tx, &mut doc, true).map(|_| ()))
        .unwrap();
    for i in 0..(COMPACT_AFTER as usize * 2 + 1) {
        let mut doc = store.load(&HouseholdId("h1".into())).unwrap().unwrap();
        let edit = Edit::SetHousehold {
            field: crate::doc::HouseholdField::Notes(Some(format!("note {i}"))),
        };
        doc.apply(&edit, &ctx()).unwrap();
        store
            .write(|tx| Store::save(tx, &mut doc, true).map(|_| ()))
            .unwrap();
        let chunks: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM doc_chunks WHERE doc_id = 'h1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(chunks <= COMPACT_AFTER, "chunks pile up: {chunks}");
    }
    let h = store
        .load(&HouseholdId("h1".into()))
        .unwrap()
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(
        h.notes.as_deref(),
        Some(format!("note {}", COMPACT_AFTER * 2).as_str())
    );
}

#[test]
fn an_incremental_save_after_a_load_holds_only_the_new_change() {
    let mut doc = sample_doc(1);
    for i in 0..10 {
        let edit = Edit::SetHousehold {
            field: crate::doc::HouseholdField::Notes(Some(format!("ghi chú {i}"))),
        };
        doc.apply(&edit, &ctx()).unwrap();
    }
    let whole = doc.save();
    let mut loaded = HouseholdDoc::load(&whole).unwrap();
    assert!(
        loaded.save_incremental().is_empty(),
        "nothing new since the load"
    );
    let edit = Edit::SetHousehold {
        field: crate::doc::HouseholdField::Notes(Some("mới".into())),
    };
    loaded.apply(&edit, &ctx()).unwrap();
    let chunk = loaded.save_incremental();
    assert!(
        !chunk.is_empty() && chunk.len() < 200,
        "chunk of {} bytes",
        chunk.len()
    );
    let mut both = whole.clone();
    both.extend_from_slice(&chunk);
    assert_eq!(
        HouseholdDoc::load(&both).unwrap().read().unwrap(),
        loaded.read().unwrap()
    );
}
