//! The PostgreSQL store's query tables (`migrations/postgres/0002_dashboard.sql`): the rows of
//! [`crate::projection`] written with this store's SQL in the caller's transaction (one statement
//! per table for a whole batch); rebuilt from the documents when of another
//! [`projection::VERSION`].

use chrono::{DateTime, Utc};
use postgres::GenericClient;

use crate::projection::{self, DocRows};
use crate::store::StoreResult;
use crate::store::query::DERIVED;

/// Rows fetched per round trip when the query tables are rebuilt from the documents.
const REBUILD_BATCH: i32 = 500;

/// Rewrites the query rows of documents (id, bytes), in the caller's transaction: deletes their
/// old rows, then inserts the rows [`projection::from_bytes`] gives, one statement per table for the whole
/// batch. A document that appears twice keeps its last version's rows (as writing each in turn
/// would).
pub(super) fn index_docs<'a>(
    c: &mut impl GenericClient,
    docs: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    at: DateTime<Utc>,
) -> Result<(), postgres::Error> {
    let derived: Vec<(&str, Option<DocRows>)> = docs
        .into_iter()
        .map(|(id, bytes)| (id, projection::from_bytes(id, bytes, at)))
        .collect();
    write_rows(c, derived.iter().map(|(id, r)| (*id, r.as_ref())))
}

/// Rewrites the query rows of documents from rows already derived ([`projection::from_bytes`], `None`
/// for a document that keeps no rows): what `commit_push` does with rows derived before its
/// transaction, so that decoding documents does not hold the hub-wide lock.
pub(super) fn write_rows<'a>(
    c: &mut impl GenericClient,
    docs: impl IntoIterator<Item = (&'a str, Option<&'a DocRows>)>,
) -> Result<(), postgres::Error> {
    let mut latest: Vec<(&str, Option<&DocRows>)> = Vec::new();
    for (id, rows) in docs {
        match latest.iter_mut().find(|(i, _)| *i == id) {
            Some(d) => d.1 = rows,
            None => latest.push((id, rows)),
        }
    }
    if latest.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = latest.iter().map(|(id, _)| *id).collect();
    for table in DERIVED {
        c.execute(
            &format!("DELETE FROM {table} WHERE doc_id = ANY($1)"),
            &[&ids],
        )?;
    }
    let rows: Vec<(&str, &DocRows)> = latest
        .iter()
        .filter_map(|(id, r)| r.map(|r| (*id, r)))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    insert_households(c, &rows)?;
    insert_members(c, &rows)?;
    insert_checklist(c, &rows)?;
    insert_visits(c, &rows)?;
    insert_warnings(c, &rows)?;
    Ok(())
}

fn insert_households(
    c: &mut impl GenericClient,
    rows: &[(&str, &DocRows)],
) -> Result<(), postgres::Error> {
    let hs = || rows.iter().map(|(id, r)| (*id, &r.household));
    let doc_id: Vec<&str> = hs().map(|(id, _)| id).collect();
    let commune: Vec<&str> = hs().map(|(_, h)| h.commune.as_str()).collect();
    let hamlet: Vec<&str> = hs().map(|(_, h)| h.hamlet.as_str()).collect();
    let created_at: Vec<&str> = hs().map(|(_, h)| h.created_at.as_str()).collect();
    let created_by: Vec<&str> = hs().map(|(_, h)| h.created_by.as_str()).collect();
    let head_name: Vec<Option<&str>> = hs().map(|(_, h)| h.head_name.as_deref()).collect();
    let head_fold: Vec<Option<&str>> = hs().map(|(_, h)| h.head_fold.as_deref()).collect();
    let address: Vec<&str> = hs().map(|(_, h)| h.address.as_str()).collect();
    let plus_code: Vec<Option<&str>> = hs().map(|(_, h)| h.plus_code.as_deref()).collect();
    let members: Vec<i32> = hs().map(|(_, h)| int(h.members)).collect();
    let five_skills: Vec<bool> = hs().map(|(_, h)| h.five_skills).collect();
    let active: Vec<bool> = hs().map(|(_, h)| h.active).collect();
    let conflicts: Vec<i32> = hs().map(|(_, h)| int(h.conflicts)).collect();
    let warnings: Vec<i32> = hs().map(|(_, h)| int(h.warnings)).collect();
    let search: Vec<&str> = hs().map(|(_, h)| h.search.as_str()).collect();
    let updated_at: Vec<&str> = hs().map(|(_, h)| h.updated_at.as_str()).collect();
    let created_day: Vec<&str> = hs().map(|(_, h)| h.created_day.as_str()).collect();
    let to_verify: Vec<bool> = hs().map(|(_, h)| h.to_verify).collect();
    c.execute(
        "INSERT INTO dash_households (doc_id, commune, hamlet, created_at, created_by, head_name, head_fold,
            address, plus_code, members, five_skills, active, conflicts, warnings, search, updated_at, created_day,
            to_verify)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::text[], $10::int[], $11::bool[], $12::bool[], $13::int[], $14::int[], $15::text[],
            $16::text[], $17::text[], $18::bool[])",
        &[
            &doc_id, &commune, &hamlet, &created_at, &created_by, &head_name, &head_fold, &address,
            &plus_code, &members, &five_skills, &active, &conflicts, &warnings, &search, &updated_at,
            &created_day, &to_verify,
        ],
    )?;
    Ok(())
}

fn insert_members(
    c: &mut impl GenericClient,
    rows: &[(&str, &DocRows)],
) -> Result<(), postgres::Error> {
    let ms = || {
        rows.iter()
            .flat_map(|(id, r)| r.members.iter().map(move |m| (*id, &r.household, m)))
    };
    if ms().next().is_none() {
        return Ok(());
    }
    let doc_id: Vec<&str> = ms().map(|(id, _, _)| id).collect();
    let member_id: Vec<&str> = ms().map(|(_, _, m)| m.member_id.as_str()).collect();
    let commune: Vec<&str> = ms().map(|(_, h, _)| h.commune.as_str()).collect();
    let hamlet: Vec<&str> = ms().map(|(_, h, _)| h.hamlet.as_str()).collect();
    let full_name: Vec<&str> = ms().map(|(_, _, m)| m.full_name.as_str()).collect();
    let birth: Vec<Option<&str>> = ms().map(|(_, _, m)| m.birth.as_deref()).collect();
    let gender: Vec<Option<&str>> = ms().map(|(_, _, m)| m.gender.as_deref()).collect();
    let relation: Vec<&str> = ms().map(|(_, _, m)| m.relation.as_str()).collect();
    let id_number: Vec<Option<&str>> = ms().map(|(_, _, m)| m.id_number.as_deref()).collect();
    let phone: Vec<Option<&str>> = ms().map(|(_, _, m)| m.phone.as_deref()).collect();
    let shared: Vec<bool> = ms().map(|(_, _, m)| m.shared).collect();
    c.execute(
        "INSERT INTO dash_members (doc_id, member_id, commune, hamlet, full_name, birth, gender, relation, id_number, phone, shared)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::text[], $10::text[], $11::bool[])",
        &[
            &doc_id, &member_id, &commune, &hamlet, &full_name, &birth, &gender, &relation,
            &id_number, &phone, &shared,
        ],
    )?;
    Ok(())
}

fn insert_checklist(
    c: &mut impl GenericClient,
    rows: &[(&str, &DocRows)],
) -> Result<(), postgres::Error> {
    let cs = || {
        rows.iter()
            .flat_map(|(id, r)| r.checklist.iter().map(move |e| (*id, &r.household, e)))
    };
    if cs().next().is_none() {
        return Ok(());
    }
    let doc_id: Vec<&str> = cs().map(|(id, _, _)| id).collect();
    let member_id: Vec<&str> = cs().map(|(_, _, e)| e.member_id.as_str()).collect();
    let item: Vec<&str> = cs().map(|(_, _, e)| e.item.as_str()).collect();
    let commune: Vec<&str> = cs().map(|(_, h, _)| h.commune.as_str()).collect();
    let hamlet: Vec<&str> = cs().map(|(_, h, _)| h.hamlet.as_str()).collect();
    let status: Vec<&str> = cs().map(|(_, _, e)| e.status.as_str()).collect();
    let achieved: Vec<bool> = cs().map(|(_, _, e)| e.achieved).collect();
    let set_at: Vec<&str> = cs().map(|(_, _, e)| e.set_at.as_str()).collect();
    let active: Vec<bool> = cs().map(|(_, h, _)| h.active).collect();
    let day: Vec<&str> = cs().map(|(_, _, e)| e.day.as_str()).collect();
    let set_by: Vec<&str> = cs().map(|(_, _, e)| e.set_by.as_str()).collect();
    c.execute(
        "INSERT INTO dash_checklist (doc_id, member_id, item, commune, hamlet, status, achieved, set_at, active, day, set_by)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[],
            $8::text[], $9::bool[], $10::text[], $11::text[])",
        &[
            &doc_id, &member_id, &item, &commune, &hamlet, &status, &achieved, &set_at, &active, &day,
            &set_by,
        ],
    )?;
    Ok(())
}

fn insert_visits(
    c: &mut impl GenericClient,
    rows: &[(&str, &DocRows)],
) -> Result<(), postgres::Error> {
    let vs = || {
        rows.iter()
            .flat_map(|(id, r)| r.visits.iter().map(move |v| (*id, &r.household, v)))
    };
    if vs().next().is_none() {
        return Ok(());
    }
    let doc_id: Vec<&str> = vs().map(|(id, _, _)| id).collect();
    let visit_id: Vec<&str> = vs().map(|(_, _, v)| v.visit_id.as_str()).collect();
    let commune: Vec<&str> = vs().map(|(_, h, _)| h.commune.as_str()).collect();
    let date: Vec<&str> = vs().map(|(_, _, v)| v.date.as_str()).collect();
    let volunteer: Vec<&str> = vs().map(|(_, _, v)| v.volunteer.as_str()).collect();
    let outcome: Vec<&str> = vs().map(|(_, _, v)| v.outcome.as_str()).collect();
    c.execute(
        "INSERT INTO dash_visits (doc_id, visit_id, commune, date, volunteer, outcome)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])",
        &[&doc_id, &visit_id, &commune, &date, &volunteer, &outcome],
    )?;
    Ok(())
}

fn insert_warnings(
    c: &mut impl GenericClient,
    rows: &[(&str, &DocRows)],
) -> Result<(), postgres::Error> {
    let ws = || {
        rows.iter()
            .flat_map(|(id, r)| r.warnings.iter().map(move |w| (*id, &r.household, w)))
    };
    if ws().next().is_none() {
        return Ok(());
    }
    let doc_id: Vec<&str> = ws().map(|(id, _, _)| id).collect();
    let commune: Vec<&str> = ws().map(|(_, h, _)| h.commune.as_str()).collect();
    let member_id: Vec<Option<&str>> = ws().map(|(_, _, w)| w.member_id.as_deref()).collect();
    let field: Vec<&str> = ws().map(|(_, _, w)| w.field.as_str()).collect();
    let code: Vec<&str> = ws().map(|(_, _, w)| w.code.as_str()).collect();
    let message_vi: Vec<&str> = ws().map(|(_, _, w)| w.message_vi.as_str()).collect();
    let message_en: Vec<&str> = ws().map(|(_, _, w)| w.message_en.as_str()).collect();
    c.execute(
        "INSERT INTO dash_warnings (doc_id, commune, member_id, field, code, message_vi, message_en)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])",
        &[
            &doc_id, &commune, &member_id, &field, &code, &message_vi, &message_en,
        ],
    )?;
    Ok(())
}

fn int(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Rebuilds the query tables from the documents when they were derived by another index version
/// (or never: the migration that creates them leaves the version unset). Called at open, under
/// the migration lock; holds the hub-wide counter's lock, so no document is written meanwhile.
pub(super) fn ensure_index(c: &mut postgres::Client) -> StoreResult<()> {
    let current = c
        .query_opt(
            "SELECT value FROM meta WHERE key = 'dash_index_version'",
            &[],
        )?
        .map(|r| r.get::<_, String>(0));
    if current.as_deref() == Some(projection::VERSION) {
        return Ok(());
    }
    let mut tx = c.transaction()?;
    tx.query_one("SELECT value FROM hub_seq WHERE id = 1 FOR UPDATE", &[])?;
    for table in DERIVED {
        tx.execute(&format!("DELETE FROM {table}"), &[])?;
    }
    let now = Utc::now();
    let mut after = String::new();
    loop {
        let batch: Vec<(String, Vec<u8>)> = tx
            .query(
                "SELECT doc_id, bytes FROM docs WHERE doc_id > $1 ORDER BY doc_id LIMIT $2",
                &[&after, &i64::from(REBUILD_BATCH)],
            )?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let Some((last, _)) = batch.last() else {
            break;
        };
        after = last.clone();
        index_docs(
            &mut tx,
            batch.iter().map(|(id, b)| (id.as_str(), b.as_slice())),
            now,
        )?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('dash_index_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = $1",
        &[&projection::VERSION],
    )?;
    tx.commit()?;
    Ok(())
}
