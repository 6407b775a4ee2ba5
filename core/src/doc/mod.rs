//! The typed layer over Automerge: one document per household. Nothing outside this module sees
//! an Automerge type; callers speak [`Edit`], [`crate::model::Household`] and [`Conflict`].

mod codec;
mod conflict;
mod context;
mod edit;
mod fields;
mod history;
mod read;
mod rewrite;
mod schema;
mod shape;
mod value;

pub use conflict::{Conflict, ConflictValue, FieldPath};
pub use context::ChangeContext;
pub use edit::{Edit, HouseholdField, MemberField};
pub(crate) use edit::{household_key, member_key};
pub use history::HistoryEntry;
pub(crate) use history::actor_entries;
pub use schema::{HOUSEHOLD_FIELDS, MEMBER_FIELDS};
pub use shape::{MAX_STRING_CHARS, ShapeIssue, ShapeProblem};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjType, ROOT};

use crate::error::{Error, Result};
use crate::input::HouseholdInput;
use crate::model::{DeviceId, Household, HouseholdId, Lifecycle};

/// The Automerge actor id of a device: the bytes of its device id, so every change a device makes
/// is attributable to it in every document.
pub fn actor_for(device: &DeviceId) -> ActorId {
    ActorId::from(device.as_str().as_bytes())
}

/// A household's CRDT document.
#[derive(Debug, Clone)]
pub struct HouseholdDoc {
    doc: AutoCommit,
    /// Heads already in storage. `AutoCommit::load` forgets them (its own save cursor starts
    /// empty), so without this the first incremental save after a load would rewrite the whole
    /// history as a new chunk.
    stored: Vec<automerge::ChangeHash>,
}

/// A head of a document's change graph (a change hash), as opaque bytes.
pub type Head = [u8; 32];

impl HouseholdDoc {
    /// Creates the document of a new household. `input` must already be validated and normalised.
    pub fn create(
        id: &HouseholdId,
        input: &HouseholdInput,
        dataset_version: &str,
        ctx: &ChangeContext,
    ) -> Result<Self> {
        let mut doc = AutoCommit::new().with_actor(actor_for(&ctx.device));
        doc.put(ROOT, schema::SCHEMA, schema::DOC_SCHEMA)?;
        doc.put(ROOT, schema::ID, id.as_str())?;
        doc.put(
            ROOT,
            schema::CREATED_AT,
            automerge::ScalarValue::Timestamp(ctx.at.timestamp_millis()),
        )?;
        doc.put(ROOT, schema::CREATED_BY, ctx.volunteer.as_str())?;
        doc.put(ROOT, schema::PROVINCE, input.area.province_code.as_str())?;
        doc.put(ROOT, schema::COMMUNE, input.area.commune_code.as_str())?;
        doc.put(ROOT, schema::DATASET_VERSION, dataset_version)?;
        doc.put(ROOT, schema::LIFECYCLE, Lifecycle::Active.code())?;
        doc.put_object(ROOT, schema::MEMBERS, ObjType::Map)?;
        doc.put_object(ROOT, schema::VISITS, ObjType::List)?;
        doc.put_object(ROOT, schema::CONSENTS, ObjType::List)?;
        doc.put_object(ROOT, schema::ACTORS, ObjType::Map)?;
        let mut this = Self {
            doc,
            stored: Vec::new(),
        };
        this.record_actor(ctx)?;
        edit::apply_household_input(&mut this.doc, input)?;
        this.commit(ctx, "household.create");
        Ok(this)
    }

    /// Loads a document from saved bytes: a snapshot, incremental chunks, or both concatenated.
    pub fn load(bytes: &[u8]) -> Result<Self> {
        let mut doc = AutoCommit::load(bytes).map_err(|e| Error::CorruptDocument(e.to_string()))?;
        let stored = doc.get_heads();
        let this = Self { doc, stored };
        this.check_shape()?;
        Ok(this)
    }

    /// A document merged in memory, checked as [`Self::load`] checks one, with the household
    /// read once: what a merge keeps, without saving and loading it again (that reload was 40%
    /// of the hub's CPU for a new household, `bench/src/bin/household_bytes.rs`).
    pub fn checked(mut doc: AutoCommit) -> Result<(Self, Household)> {
        let household = read::read_household(&doc)?;
        let stored = doc.get_heads();
        Ok((Self { doc, stored }, household))
    }

    /// Reads the household from a document not (yet) wrapped, e.g. before changes merge into it.
    pub fn read_doc(doc: &AutoCommit) -> Result<Household> {
        read::read_household(doc)
    }

    /// Checks that a document has the keys every household must have, so a foreign or damaged
    /// document is refused before it reaches the register.
    fn check_shape(&self) -> Result<()> {
        read::read_household(&self.doc).map(|_| ())
    }

    /// The household id written in the document.
    pub fn id(&self) -> Result<HouseholdId> {
        value::get_str(&self.doc, ROOT, schema::ID)?
            .map(HouseholdId)
            .ok_or_else(|| Error::CorruptDocument("missing id".into()))
    }

    /// Reads the household. Concurrent values of a scalar field read as the same deterministic
    /// winner on every replica (see [`Self::conflicts`] for the others); concurrent checklist
    /// statuses read as the most advanced.
    pub fn read(&self) -> Result<Household> {
        read::read_household(&self.doc)
    }

    /// Fields holding concurrent values that a person should review.
    pub fn conflicts(&mut self) -> Result<Vec<Conflict>> {
        conflict::find_conflicts(&mut self.doc)
    }

    /// Who changed what, when, on which device, oldest first.
    pub fn history(&mut self) -> Result<Vec<HistoryEntry>> {
        history::history(&mut self.doc)
    }

    /// The actor (hex) of every change of the document's history.
    pub fn change_actors(&mut self) -> std::collections::BTreeSet<String> {
        self.doc
            .get_changes_meta(&[])
            .into_iter()
            .map(|meta| meta.actor.to_hex_string())
            .collect()
    }

    /// Applies one edit as one change, attributed to `ctx`.
    pub fn apply(&mut self, edit: &Edit, ctx: &ChangeContext) -> Result<()> {
        self.apply_attributed(edit, ctx, ctx)
    }

    /// Applies one edit as one change made by `author` (its actor and history entry) that
    /// writes a record (visit, consent, checklist entry) keeping the attribution `record` of the
    /// person who first made it: what a merge of two households copies.
    pub fn apply_attributed(
        &mut self,
        edit: &Edit,
        author: &ChangeContext,
        record: &ChangeContext,
    ) -> Result<()> {
        self.doc.set_actor(actor_for(&author.device));
        let applied = self
            .record_actor(author)
            .and_then(|()| edit::apply(&mut self.doc, edit, record));
        if let Err(e) = applied {
            self.doc.rollback();
            return Err(e);
        }
        self.commit(author, &edit.describe());
        Ok(())
    }

    fn record_actor(&mut self, ctx: &ChangeContext) -> Result<()> {
        let actors = value::get_map(&self.doc, ROOT, schema::ACTORS)?
            .ok_or_else(|| Error::CorruptDocument("missing actors".into()))?;
        let key = actor_for(&ctx.device).to_hex_string();
        let wanted = format!("{}|{}", ctx.volunteer, ctx.device);
        if value::get_str(&self.doc, &actors, &key)?.as_deref() != Some(wanted.as_str()) {
            self.doc.put(&actors, key, wanted)?;
        }
        Ok(())
    }

    fn commit(&mut self, ctx: &ChangeContext, message: &str) {
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(message)
                .with_time(ctx.at.timestamp()),
        );
    }

    /// Changes made since the last call (or since load/create), for appending to storage.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        let bytes = self.doc.save_after(&self.stored);
        self.stored = self.doc.get_heads();
        bytes
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        let bytes = self.doc.save();
        self.stored = self.doc.get_heads();
        bytes
    }

    /// The whole document for sending inside a batch that is compressed as a whole: see
    /// [`whole_for_batch`].
    pub fn save_for_batch(&mut self) -> Vec<u8> {
        whole_for_batch(&mut self.doc)
    }

    /// The document as it was at `heads` (a version this one contains): what undoing a change
    /// nobody else has received restores. Fails when the history lacks those heads (rewritten by
    /// an erasure since).
    pub fn at_heads(&mut self, heads: &[Head]) -> Result<HouseholdDoc> {
        let hashes: Vec<automerge::ChangeHash> =
            heads.iter().map(|h| automerge::ChangeHash(*h)).collect();
        let mut doc = self
            .doc
            .fork_at(&hashes)
            .map_err(|e| Error::CorruptDocument(format!("no such version: {e}")))?;
        let stored = doc.get_heads();
        Ok(HouseholdDoc { doc, stored })
    }

    /// Current heads of the change graph.
    pub fn heads(&mut self) -> Vec<Head> {
        self.doc.get_heads().into_iter().map(|h| h.0).collect()
    }

    /// Merges another replica of the same household into this one.
    pub fn merge(&mut self, other: &mut HouseholdDoc) -> Result<()> {
        if self.id()? != other.id()? {
            return Err(Error::CorruptDocument(
                "merging documents of two households".into(),
            ));
        }
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    /// Applies changes received as bytes (a saved document or incremental chunks).
    pub fn apply_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let before = self.id()?;
        let mut probe = self.doc.fork();
        probe
            .load_incremental(bytes)
            .map_err(|e| Error::CorruptDocument(e.to_string()))?;
        let probe = Self {
            doc: probe,
            stored: Vec::new(),
        };
        probe.check_shape()?;
        if probe.id()? != before {
            return Err(Error::CorruptDocument(
                "changes belong to another household".into(),
            ));
        }
        self.doc
            .load_incremental(bytes)
            .map_err(|e| Error::CorruptDocument(e.to_string()))?;
        Ok(())
    }

    /// Changes this document has that are not under `heads`, encoded for sending.
    pub fn changes_since(&mut self, heads: &[Head]) -> Vec<u8> {
        let heads: Vec<_> = heads.iter().map(|h| automerge::ChangeHash(*h)).collect();
        self.doc.save_after(&heads)
    }

    /// Whether every change in the history was made by `actor` (and there is more than one):
    /// a history only this actor's replica can hold, so one that may be squashed.
    pub fn squashable_by(&mut self, actor: &ActorId) -> bool {
        // Metadata from the change graph: whole changes would be rebuilt from the ops.
        let changes = self.doc.get_changes_meta(&[]);
        changes.len() > 1 && changes.iter().all(|c| c.actor.as_ref() == actor)
    }

    /// When the last change was made, by its writer's clock.
    pub fn last_change_at(&mut self) -> Option<chrono::DateTime<chrono::Utc>> {
        let changes = self.doc.get_changes_meta(&[]);
        let seconds = changes.iter().map(|c| c.timestamp).max()?;
        chrono::DateTime::from_timestamp(seconds, 0)
    }

    /// Number of changes in the document's history.
    pub fn change_count(&mut self) -> usize {
        automerge::ReadDoc::stats(&self.doc).num_changes as usize
    }
}

/// A whole document as it travels inside a batch that is compressed as a whole, without
/// Automerge's per-column deflate (zstd finds the keys and actors repeated across documents,
/// which deflate would hide). A history of one change (a household squashed at its first
/// departure, `crate::departure`) goes as that change: the change format leaves out the
/// document format's head hash (32 incompressible bytes) and its op id and successor columns,
/// 261 B against 316 B a household in W1's batch at zstd 19 (`household_bytes`). A longer
/// history goes in the document format, which writes each change's metadata once in columns.
/// Both are chunks that `load` and `load_incremental` read alike.
pub fn whole_for_batch(doc: &mut AutoCommit) -> Vec<u8> {
    // Counted from the change graph first: building a change walks the document's ops, so it
    // is done only for the change that is sent.
    if automerge::ReadDoc::stats(doc).num_changes == 1
        && let [head] = doc.get_heads()[..]
        && let Some(change) = doc.get_change_by_hash(&head)
    {
        return change.raw_bytes().to_vec();
    }
    doc.save_nocompress()
}

/// Whether `bytes` are exactly the one change whose hash is `head`: then they are, byte for
/// byte, what [`whole_for_batch`] writes for a document of that change alone, and a hub that
/// received them as a new household can send them on without loading the document. Read from
/// the chunk alone: Automerge's magic bytes, the checksum (the hash's first 4 bytes), and the
/// hash itself, SHA-256 over the chunk's type, length and data (automerge 0.12,
/// `storage/chunk.rs`). A trailing byte, another chunk or another change changes the hash.
pub fn is_whole_as_one_change(bytes: &[u8], head: &[u8; 32]) -> bool {
    use sha2::{Digest, Sha256};
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    bytes.len() > 8
        && bytes[..4] == MAGIC
        && bytes[4..8] == head[..4]
        && Sha256::digest(&bytes[8..]).as_slice() == head
}

#[cfg(test)]
mod whole_form_tests {
    use super::*;

    fn one_change() -> AutoCommit {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "notes", "cổng xanh").unwrap();
        doc.commit();
        doc
    }

    #[test]
    fn a_single_change_is_recognised_by_its_hash() {
        let mut doc = one_change();
        let whole = whole_for_batch(&mut doc);
        let head = doc.get_heads()[0].0;
        assert!(is_whole_as_one_change(&whole, &head));
        // The same change recognised from what a receiver loads.
        let mut loaded = AutoCommit::load(&whole).unwrap();
        assert_eq!(whole_for_batch(&mut loaded), whole);
    }

    #[test]
    fn anything_else_is_not() {
        let mut doc = one_change();
        let whole = whole_for_batch(&mut doc);
        let head = doc.get_heads()[0].0;
        let mut trailing = whole.clone();
        trailing.push(0);
        assert!(!is_whole_as_one_change(&trailing, &head));
        let mut bad_checksum = whole.clone();
        bad_checksum[4] ^= 1;
        assert!(!is_whole_as_one_change(&bad_checksum, &head));
        assert!(!is_whole_as_one_change(&whole[..8], &head));
        assert!(!is_whole_as_one_change(&whole, &[0; 32]));
        // Two changes: the document form, whatever its heads.
        doc.put(ROOT, "house_number", "12").unwrap();
        doc.commit();
        let two = whole_for_batch(&mut doc);
        assert_eq!(doc.get_changes(&[]).len(), 2);
        let head = doc.get_heads()[0].0;
        assert!(!is_whole_as_one_change(&two, &head));
    }
}
