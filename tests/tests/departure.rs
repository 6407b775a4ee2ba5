//! A household's first departure (issue 21, docs/sync-protocol.md "First departure"): a history
//! made only on this phone goes up as one change, once, even when the first push's answer is
//! lost; a household that came from elsewhere keeps its history; a whole household of one
//! change travels as that change; and a register enrolled with nothing but pending households
//! does not offer them to the hub first.

use std::sync::Mutex;

use gocua_core::HouseholdField;
use gocua_core::model::{ChecklistItem, ChecklistStatus, HouseholdId};
use gocua_core::sync::wire::{
    PATH_RECONCILE, PATH_SYNC, decode_sync_request, decode_sync_response,
};
use gocua_core::sync::{InProcess, Response, SessionOutcome, SyncError, SyncOptions, Transport};
use gocua_core::{HouseholdDoc, Register};
use gocua_hub::HubStore;
use gocua_tests::*;

/// A household's id and its whole document as it travelled.
type Whole = (String, Vec<u8>);

/// Records the paths posted and the sync exchanges; loses the answer of the first sync request
/// when told to.
struct Link {
    inner: InProcess,
    lose_first_answer: bool,
    paths: Mutex<Vec<String>>,
    /// Each sync request's body and its answer's.
    exchanges: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

impl Link {
    fn new(inner: InProcess, lose_first_answer: bool) -> Self {
        Self {
            inner,
            lose_first_answer,
            paths: Mutex::default(),
            exchanges: Mutex::default(),
        }
    }

    /// The whole documents (sent without heads) pushed and pulled, by household id.
    fn whole_documents(&self) -> (Vec<Whole>, Vec<Whole>) {
        let (mut pushed, mut pulled) = (Vec::new(), Vec::new());
        for (request, answer) in self.exchanges.lock().unwrap().iter() {
            let request = decode_sync_request(request).unwrap();
            let answer = decode_sync_response(answer).unwrap();
            pushed.extend(
                (request.push.into_iter())
                    .filter(|d| d.heads.is_empty())
                    .map(|d| (d.id, d.changes)),
            );
            pulled.extend(
                (answer.pull.into_iter())
                    .filter(|d| d.heads.is_empty())
                    .map(|d| (d.id, d.changes)),
            );
        }
        (pushed, pulled)
    }

    fn posted(&self, path: &str) -> usize {
        self.paths
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == path)
            .count()
    }
}

impl Transport for Link {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        let first_sync = {
            let mut paths = self.paths.lock().unwrap();
            paths.push(path.to_owned());
            path == PATH_SYNC && paths.iter().filter(|p| *p == PATH_SYNC).count() == 1
        };
        let sent = body.clone();
        let resp = self.inner.post(path, token, content_type, body)?;
        if path == PATH_SYNC {
            let answer = resp.body.clone();
            self.exchanges.lock().unwrap().push((sent, answer));
        }
        if first_sync && self.lose_first_answer {
            return Err(SyncError::Network("injected: the answer was lost".into()));
        }
        Ok(resp)
    }
}

fn no_retries() -> SyncOptions<'static> {
    SyncOptions {
        retries: 0,
        ..SyncOptions::default()
    }
}

fn enrolled(
    reg: &mut Register,
    store: &gocua_hub::SqliteStore,
    hub: &std::sync::Arc<gocua_hub::Hub>,
    vol: &str,
) {
    reg.sync_enrol("inproc", &hub.in_process(), &code(store, vol, "a"), None)
        .unwrap();
}

/// A household with a head, a checklist step and a note: several changes on this phone.
fn visited(reg: &mut Register, n: usize) -> HouseholdId {
    let id = add_households(reg, "thon-dong", n..n + 1, "Phạm Thị Lan").remove(0);
    let head = reg
        .household(&id)
        .unwrap()
        .members
        .into_keys()
        .next()
        .unwrap();
    reg.set_checklist(
        &id,
        &head,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    reg.set_household_field(&id, HouseholdField::Notes(Some("Nhà cạnh chợ".into())))
        .unwrap();
    id
}

fn hub_doc(store: &gocua_hub::SqliteStore, id: &HouseholdId) -> HouseholdDoc {
    HouseholdDoc::load(&store.load_doc(id.as_str()).unwrap().unwrap().bytes).unwrap()
}

#[test]
fn a_household_made_here_goes_up_as_one_change_once_even_when_the_answer_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let mut reg = register(dir.path(), "vol-a");
    enrolled(&mut reg, &store, &hub, "vol-a");
    let id = visited(&mut reg, 1);
    let before = reg.household(&id).unwrap();
    assert!(reg.document(&id).unwrap().change_count() > 3);

    // The hub stores the push; its answer never arrives.
    let lossy = Link::new(hub.in_process(), true);
    assert!(reg.sync_with(&lossy, &no_retries()).is_err());
    let mut squashed = reg.document(&id).unwrap();
    assert_eq!(squashed.change_count(), 1);
    assert_eq!(reg.household(&id).unwrap(), before, "nothing read differs");
    assert_eq!(hub_doc(&store, &id).change_count(), 1);

    // Edited meanwhile, then synced: the same lineage goes up again, now with the edit.
    reg.set_household_field(&id, HouseholdField::Notes(Some("Nhà cạnh trường".into())))
        .unwrap();
    let link = Link::new(hub.in_process(), false);
    let report = reg.sync_with(&link, &SyncOptions::default()).unwrap();
    assert_eq!(report.outcome, SessionOutcome::Success);
    let mut on_hub = hub_doc(&store, &id);
    assert_eq!(on_hub.change_count(), 2);
    assert!(on_hub.conflicts().unwrap().is_empty());
    assert_eq!(hub_households(&store), device_households(&reg));
    let history = on_hub.history().unwrap();
    assert_eq!(history[0].what, "household.create");
    assert_eq!(history[0].volunteer.as_ref().unwrap().as_str(), "vol-a");
    assert_eq!(squashed.history().unwrap()[0].what, "household.create");
}

#[test]
fn a_household_from_elsewhere_keeps_its_history_when_edited_here() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let mut a = register(dir.path(), "vol-a");
    enrolled(&mut a, &store, &hub, "vol-a");
    let id = visited(&mut a, 1);
    a.sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();

    let mut b = register(dir.path(), "vol-b");
    enrolled(&mut b, &store, &hub, "vol-b");
    b.sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();
    b.set_household_field(&id, HouseholdField::Notes(Some("Đã gọi lại".into())))
        .unwrap();
    b.set_household_field(
        &id,
        HouseholdField::Notes(Some("Đã gọi lại hai lần".into())),
    )
    .unwrap();
    b.sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();

    // A's one change, then B's two edits as they were made.
    let mut on_hub = hub_doc(&store, &id);
    assert_eq!(on_hub.change_count(), 3);
    let who: Vec<_> = on_hub
        .history()
        .unwrap()
        .into_iter()
        .map(|h| h.volunteer.unwrap().0)
        .collect();
    assert_eq!(who, ["vol-a", "vol-b", "vol-b"]);
    a.sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();
    assert_eq!(a.household(&id).unwrap(), b.household(&id).unwrap());
}

/// Whether `bytes` are one change in Automerge's change format (rather than a document).
fn is_one_change(bytes: &[u8]) -> bool {
    automerge::Change::from_bytes(bytes.to_vec()).is_ok()
}

#[test]
fn a_history_of_one_change_travels_as_that_change_and_a_longer_one_as_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let mut a = register(dir.path(), "vol-a");
    enrolled(&mut a, &store, &hub, "vol-a");
    let id = visited(&mut a, 1);
    let up = Link::new(hub.in_process(), false);
    a.sync_with(&up, &SyncOptions::default()).unwrap();
    let (pushed, _) = up.whole_documents();
    assert_eq!(pushed.len(), 1);
    assert_eq!(pushed[0].0, id.as_str());
    assert!(
        is_one_change(&pushed[0].1),
        "a squashed household goes as its change"
    );
    let as_document = automerge::Automerge::load(&pushed[0].1)
        .unwrap()
        .save_nocompress();
    assert!(
        pushed[0].1.len() < as_document.len(),
        "{} B as a change, {} B as a document",
        pushed[0].1.len(),
        as_document.len()
    );

    // A new phone pulls it whole, as the change, and reads the same household.
    let mut b = register(dir.path(), "vol-b");
    enrolled(&mut b, &store, &hub, "vol-b");
    let down = Link::new(hub.in_process(), false);
    b.sync_with(&down, &SyncOptions::default()).unwrap();
    let (_, pulled) = down.whole_documents();
    assert_eq!(pulled.len(), 1);
    assert!(is_one_change(&pulled[0].1));
    assert_eq!(b.household(&id).unwrap(), a.household(&id).unwrap());
    assert_eq!(
        b.document(&id).unwrap().heads(),
        a.document(&id).unwrap().heads()
    );

    // Edited on the second phone: a third pulls a history of two changes, as a document.
    b.set_household_field(&id, HouseholdField::Notes(Some("Đã gọi lại".into())))
        .unwrap();
    b.sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();
    let mut c = register(dir.path(), "vol-c");
    enrolled(&mut c, &store, &hub, "vol-c");
    let third = Link::new(hub.in_process(), false);
    c.sync_with(&third, &SyncOptions::default()).unwrap();
    let (_, pulled) = third.whole_documents();
    assert_eq!(pulled.len(), 1);
    assert!(!is_one_change(&pulled[0].1));
    assert_eq!(c.household(&id).unwrap(), b.household(&id).unwrap());
    assert_eq!(c.document(&id).unwrap().change_count(), 2);
}

#[test]
fn a_register_enrolled_with_only_pending_households_does_not_offer_them_first() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let mut reg = register(dir.path(), "vol-a");
    // Registered before the phone was enrolled.
    reg.add_hamlet(COMMUNE, "Thôn Đông").unwrap();
    visited(&mut reg, 1);
    visited(&mut reg, 2);
    enrolled(&mut reg, &store, &hub, "vol-a");
    let link = Link::new(hub.in_process(), false);
    reg.sync_with(&link, &SyncOptions::default()).unwrap();
    assert_eq!(link.posted(PATH_RECONCILE), 0);
    assert_eq!(link.posted(PATH_SYNC), 1);
    assert_eq!(hub_households(&store).len(), 2);

    // Enrolled with a rebuilt hub: its households are settled now, so it offers them before
    // anything else, and the new hub gets them all.
    let rebuilt = tempfile::tempdir().unwrap();
    let (store2, hub2) = gocua_tests::hub(rebuilt.path());
    enrolled(&mut reg, &store2, &hub2, "vol-a");
    let link = Link::new(hub2.in_process(), false);
    reg.sync_with(&link, &SyncOptions::default()).unwrap();
    assert!(link.posted(PATH_RECONCILE) > 0);
    assert_eq!(hub_households(&store2), device_households(&reg));
}
