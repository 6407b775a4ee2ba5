//! Erasure: a household's document rewritten as a fresh document with no history.
//!
//! Automerge keeps every value ever written in its change history, so removing a person's data
//! from a document by editing it would leave the old values in every replica. An erasure instead
//! copies the document's *current* state into a new document (a new lineage: a new root change,
//! no shared history), leaving out the erased member (their map, their consent events, the head
//! pointer if it was them). Every replica then drops the old document and takes the new one
//! (docs/SECURITY.md, "Erasure").
//!
//! Concurrent values are copied as the register reads them: the deterministic winner for scalars,
//! the most advanced entry for checklist items, so progress never regresses through a rewrite.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};

use super::schema as k;
use super::value::get_str;
use super::{ChangeContext, HouseholdDoc, actor_for};
use crate::error::Result;
use crate::model::{ChecklistStatus, MemberId};

impl HouseholdDoc {
    /// A fresh document holding this one's current state without `member` (or everything, when
    /// `member` is `None`), attributed to `ctx`. The result shares no history with `self`.
    pub fn rewritten_without(
        &self,
        member: Option<&MemberId>,
        ctx: &ChangeContext,
    ) -> Result<HouseholdDoc> {
        self.rewritten(member, ctx, "household.rewrite")
    }

    /// This document's current state as one change, named as a creation: what a household
    /// nobody else has seen becomes before it first leaves the phone (`crate::departure`).
    pub fn squashed(&self, ctx: &ChangeContext) -> Result<HouseholdDoc> {
        self.rewritten(None, ctx, "household.create")
    }

    fn rewritten(
        &self,
        member: Option<&MemberId>,
        ctx: &ChangeContext,
        message: &str,
    ) -> Result<HouseholdDoc> {
        let src = &self.doc;
        let mut dst = AutoCommit::new().with_actor(actor_for(&ctx.device));
        let head = get_str(src, ROOT, k::HEAD)?;
        for key in src.keys(ROOT).collect::<Vec<_>>() {
            if key == k::HEAD && member.is_some() && head.as_deref() == member.map(|m| m.as_str()) {
                continue;
            }
            let Some((value, id)) = src.get(ROOT, &key)? else {
                continue;
            };
            match (key.as_str(), value) {
                (k::MEMBERS, Value::Object(_)) => {
                    let to = dst.put_object(ROOT, &key, ObjType::Map)?;
                    for mkey in src.keys(&id).collect::<Vec<_>>() {
                        if member.is_some_and(|m| m.as_str() == mkey) {
                            continue;
                        }
                        if let Some((Value::Object(t), mid)) = src.get(&id, &mkey)? {
                            let mto = dst.put_object(&to, &mkey, t)?;
                            copy_member(src, &mid, &mut dst, &mto)?;
                        }
                    }
                }
                (k::CONSENTS, Value::Object(t)) => {
                    let to = dst.put_object(ROOT, &key, t)?;
                    let mut n = 0;
                    for i in 0..src.length(&id) {
                        let Some((Value::Object(rt), rid)) = src.get(&id, i)? else {
                            continue;
                        };
                        let of = get_str(src, &rid, k::CONSENT_MEMBER)?;
                        if member.is_some_and(|m| of.as_deref() == Some(m.as_str())) {
                            continue;
                        }
                        let rto = dst.insert_object(&to, n, rt)?;
                        copy(src, &rid, &mut dst, &rto)?;
                        n += 1;
                    }
                }
                (_, Value::Object(t)) => {
                    let to = dst.put_object(ROOT, &key, t)?;
                    copy(src, &id, &mut dst, &to)?;
                }
                (_, Value::Scalar(s)) => dst.put(ROOT, &key, s.into_owned())?,
            }
        }
        dst.commit_with(
            CommitOptions::default()
                .with_message(message)
                .with_time(ctx.at.timestamp()),
        );
        let mut out = HouseholdDoc {
            doc: dst,
            stored: Vec::new(),
        };
        out.record_actor(ctx)?;
        out.commit(ctx, &format!("{message} actor"));
        out.check_shape()?;
        Ok(out)
    }
}

/// Copies a member map; its checklist entries are chosen as the reader chooses them.
fn copy_member(src: &AutoCommit, from: &ObjId, dst: &mut AutoCommit, to: &ObjId) -> Result<()> {
    for key in src.keys(from).collect::<Vec<_>>() {
        let Some((value, id)) = src.get(from, &key)? else {
            continue;
        };
        match value {
            Value::Object(t) if key == k::CHECKLIST => {
                let cto = dst.put_object(to, &key, t)?;
                for item in src.keys(&id).collect::<Vec<_>>() {
                    let mut best: Option<(u8, ObjId)> = None;
                    for (v, eid) in src.get_all(&id, &item)? {
                        if !matches!(v, Value::Object(_)) {
                            continue;
                        }
                        let rank = get_str(src, &eid, k::ENTRY_STATUS)?
                            .and_then(|s| ChecklistStatus::from_code(&s))
                            .map(|s| s.rank())
                            .unwrap_or(0);
                        let better = match &best {
                            None => true,
                            Some((r, b)) => rank > *r || (rank == *r && eid > *b),
                        };
                        if better {
                            best = Some((rank, eid));
                        }
                    }
                    if let Some((_, eid)) = best {
                        let eto = dst.put_object(&cto, &item, ObjType::Map)?;
                        copy(src, &eid, dst, &eto)?;
                    }
                }
            }
            Value::Object(t) => {
                let oto = dst.put_object(to, &key, t)?;
                copy(src, &id, dst, &oto)?;
            }
            Value::Scalar(s) => dst.put(to, &key, s.into_owned())?,
        }
    }
    Ok(())
}

/// Copies a map or list object (the winner of every key), recursively.
fn copy(src: &AutoCommit, from: &ObjId, dst: &mut AutoCommit, to: &ObjId) -> Result<()> {
    match src.object_type(from)? {
        ObjType::Map | ObjType::Table => {
            for key in src.keys(from).collect::<Vec<_>>() {
                match src.get(from, &key)? {
                    Some((Value::Object(t), id)) => {
                        let o = dst.put_object(to, &key, t)?;
                        copy(src, &id, dst, &o)?;
                    }
                    Some((Value::Scalar(s), _)) => dst.put(to, &key, s.into_owned())?,
                    None => {}
                }
            }
        }
        ObjType::List => {
            for i in 0..src.length(from) {
                match src.get(from, i)? {
                    Some((Value::Object(t), id)) => {
                        let o = dst.insert_object(to, i, t)?;
                        copy(src, &id, dst, &o)?;
                    }
                    Some((Value::Scalar(s), _)) => dst.insert(to, i, s.into_owned())?,
                    None => {}
                }
            }
        }
        ObjType::Text => {
            let text = src.text(from)?;
            dst.splice_text(to, 0, 0, &text)?;
        }
    }
    Ok(())
}
