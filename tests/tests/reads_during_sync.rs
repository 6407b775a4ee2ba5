//! Issue 14, "reads during a sync": a register shared between threads (as the phones hold it) is
//! not held while a request is on the network. These tests edit and read the register from
//! inside the transport (after the hub handled a request, before its answer is applied here), so
//! the interleaving is exact, with no timing: an edit made meanwhile stays pending and survives
//! the merge of the answer; erasures likewise.

use std::sync::{Arc, Mutex};

use gocua_core::consent_rule::ConsentGiven;
use gocua_core::model::*;
use gocua_core::sync::bundle_wire::PATH_KEYS;
use gocua_core::sync::wire::PATH_SYNC;
use gocua_core::sync::{
    self, InProcess, Response, SessionOutcome, SyncError, SyncOptions, Transport,
};
use gocua_core::{ErasureStep, HouseholdField, Register};
use gocua_tests::*;

type Step = Box<dyn Fn(&mut Register) + Send + Sync>;

/// Passes requests to the hub; after the hub answered the `nth` sync request (0-based), takes
/// the register (which the sync must not hold) and runs `step` on it.
struct Meanwhile {
    inner: InProcess,
    reg: Arc<Mutex<Register>>,
    nth: usize,
    step: Step,
    seen: Mutex<usize>,
}

impl Transport for Meanwhile {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        let resp = self.inner.post(path, token, content_type, body)?;
        if path == PATH_SYNC {
            let mut seen = self.seen.lock().unwrap();
            if *seen == self.nth {
                let mut reg = self
                    .reg
                    .try_lock()
                    .expect("the register is free while a request is on the network");
                (self.step)(&mut reg);
            }
            *seen += 1;
        }
        Ok(resp)
    }
}

fn sync_via(reg: &Arc<Mutex<Register>>, transport: &dyn Transport) -> sync::SyncReport {
    let r = sync::sync_shared(reg.as_ref(), transport, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    r
}

fn member_names(reg: &Register, id: &HouseholdId) -> Vec<String> {
    let mut names: Vec<String> = reg
        .household(id)
        .unwrap()
        .current_members()
        .map(|m| m.full_name.clone())
        .collect();
    names.sort();
    names
}

struct Setup {
    _dir: tempfile::TempDir,
    store: Arc<gocua_hub::SqliteStore>,
    transport: InProcess,
    reg: Arc<Mutex<Register>>,
    other: Register,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = hub(dir.path());
    let transport = hub.in_process();
    let mut reg = register(dir.path(), "vol-x");
    let mut other = register(dir.path(), "vol-y");
    reg.sync_enrol("inproc", &transport, &code(&store, "vol-x", "a"), None)
        .unwrap();
    other
        .sync_enrol("inproc", &transport, &code(&store, "vol-y", "a"), None)
        .unwrap();
    Setup {
        _dir: dir,
        store,
        transport,
        reg: Arc::new(Mutex::new(reg)),
        other,
    }
}

fn meanwhile(s: &Setup, nth: usize, step: Step) -> Meanwhile {
    Meanwhile {
        inner: s.transport.clone(),
        reg: s.reg.clone(),
        nth,
        step,
        seen: Mutex::new(0),
    }
}

/// A household registered on the shared register, with its head.
fn one_household(s: &Setup, head: &str) -> HouseholdId {
    add_households(&mut s.reg.lock().unwrap(), "thon-dong", 1..2, head).remove(0)
}

fn sync_other(s: &mut Setup) {
    s.other
        .sync_with(&s.transport, &SyncOptions::default())
        .unwrap();
}

#[test]
fn an_edit_while_its_batch_is_on_the_network_stays_pending_and_goes_up_next() {
    let mut s = setup();
    let id = one_household(&s, "Nguyễn Thị Lan");
    let edited = id.clone();
    let t = meanwhile(
        &s,
        0,
        Box::new(move |reg| {
            // Reads answer while the sync is on the network.
            assert_eq!(reg.search("lan", 10).unwrap().len(), 1);
            reg.add_member_with_consent(
                &edited,
                member("Trần Văn Bình", Relation::Child),
                &ConsentGiven::every_purpose(),
            )
            .unwrap();
        }),
    );
    let report = sync_via(&s.reg, &t);
    assert_eq!(report.pushed, 1);
    // The hub stored the household as sent; the edit made meanwhile is still pending here.
    assert_eq!(report.pending_after, 1);
    {
        let reg = s.reg.lock().unwrap();
        assert_eq!(reg.pending_count().unwrap(), 1);
        assert_eq!(member_names(&reg, &id), ["Nguyễn Thị Lan", "Trần Văn Bình"]);
    }
    let on_hub = |store: &gocua_hub::SqliteStore| {
        let h = hub_households(store)
            .into_iter()
            .find(|h| h.id == id)
            .unwrap();
        h.current_members().count()
    };
    assert_eq!(on_hub(&s.store), 1);
    // The next sync sends the edit.
    let report = sync_via(&s.reg, &s.transport);
    assert_eq!(report.pushed, 1);
    assert_eq!(report.pending_after, 0);
    assert_eq!(on_hub(&s.store), 2);
    sync_other(&mut s);
    assert_eq!(
        member_names(&s.other, &id),
        ["Nguyễn Thị Lan", "Trần Văn Bình"]
    );
}

#[test]
fn the_answers_merge_keeps_an_edit_made_while_it_was_on_the_network() {
    let mut s = setup();
    let id = one_household(&s, "Nguyễn Thị Lan");
    sync_via(&s.reg, &s.transport);
    sync_other(&mut s);
    // Another volunteer changes the household; the hub will send it in the next answer.
    s.other
        .set_household_field(&id, HouseholdField::Notes(Some("cần quay lại".into())))
        .unwrap();
    sync_other(&mut s);
    let edited = id.clone();
    let t = meanwhile(
        &s,
        0,
        Box::new(move |reg| {
            assert_eq!(reg.pending_count().unwrap(), 0);
            reg.add_member_with_consent(
                &edited,
                member("Lê Thị Mai", Relation::Child),
                &ConsentGiven::every_purpose(),
            )
            .unwrap();
        }),
    );
    let report = sync_via(&s.reg, &t);
    assert_eq!(report.pulled, 1);
    {
        let reg = s.reg.lock().unwrap();
        let h = reg.household(&id).unwrap();
        assert_eq!(h.notes.as_deref(), Some("cần quay lại"));
        assert_eq!(member_names(&reg, &id), ["Lê Thị Mai", "Nguyễn Thị Lan"]);
        assert_eq!(
            reg.pending_count().unwrap(),
            1,
            "the local edit still goes up"
        );
    }
    sync_via(&s.reg, &s.transport);
    sync_other(&mut s);
    assert_eq!(
        member_names(&s.other, &id),
        ["Lê Thị Mai", "Nguyễn Thị Lan"]
    );
    assert_eq!(s.reg.lock().unwrap().pending_count().unwrap(), 0);
}

#[test]
fn a_household_erased_while_its_batch_is_on_the_network_is_erased_everywhere_next() {
    let mut s = setup();
    let ids = add_households(
        &mut s.reg.lock().unwrap(),
        "thon-dong",
        1..3,
        "Phạm Văn Hải",
    );
    let (gone, kept) = (ids[0].clone(), ids[1].clone());
    let erased = gone.clone();
    let t = meanwhile(
        &s,
        0,
        Box::new(move |reg| {
            assert_eq!(reg.erase_household(&erased).unwrap(), ErasureStep::Erased);
        }),
    );
    let report = sync_via(&s.reg, &t);
    assert_eq!(
        report.pushed, 1,
        "only the household still here counts: {report:?}"
    );
    {
        let reg = s.reg.lock().unwrap();
        assert!(reg.is_erased(&gone).unwrap());
        assert_eq!(reg.household_ids().unwrap(), std::slice::from_ref(&kept));
        assert_eq!(
            reg.pending_erasures().unwrap(),
            1,
            "the request still goes up"
        );
    }
    sync_via(&s.reg, &s.transport);
    assert_eq!(s.reg.lock().unwrap().pending_erasures().unwrap(), 0);
    let on_hub: Vec<HouseholdId> = hub_households(&s.store).into_iter().map(|h| h.id).collect();
    assert_eq!(on_hub, std::slice::from_ref(&kept));
    sync_other(&mut s);
    assert_eq!(s.other.household_ids().unwrap(), [kept]);
}

#[test]
fn a_member_erased_while_the_household_is_on_the_network_is_erased_everywhere_next() {
    let mut s = setup();
    let id = one_household(&s, "Phạm Văn Hải");
    let child = s
        .reg
        .lock()
        .unwrap()
        .add_member_with_consent(
            &id,
            member("Phạm Thị Hoa", Relation::Child),
            &ConsentGiven::every_purpose(),
        )
        .unwrap()
        .value;
    let (household, erased) = (id.clone(), child.clone());
    let t = meanwhile(
        &s,
        0,
        Box::new(move |reg| {
            assert_eq!(
                reg.erase_member(&household, &erased).unwrap(),
                ErasureStep::Erased
            );
        }),
    );
    sync_via(&s.reg, &t);
    assert_eq!(member_names(&s.reg.lock().unwrap(), &id), ["Phạm Văn Hải"]);
    assert_eq!(s.reg.lock().unwrap().pending_erasures().unwrap(), 1);
    sync_via(&s.reg, &s.transport);
    // The hub rewrote its copy; every device holds it without the member.
    sync_via(&s.reg, &s.transport);
    assert_eq!(s.reg.lock().unwrap().pending_erasures().unwrap(), 0);
    assert_eq!(member_names(&s.reg.lock().unwrap(), &id), ["Phạm Văn Hải"]);
    let h = hub_households(&s.store)
        .into_iter()
        .find(|h| h.id == id)
        .unwrap();
    assert_eq!(h.current_members().count(), 1);
    sync_other(&mut s);
    assert_eq!(member_names(&s.other, &id), ["Phạm Văn Hải"]);
}

/// Notes each request's path and whether the register was free when it was sent.
struct EveryRequest {
    inner: InProcess,
    reg: Arc<Mutex<Register>>,
    seen: Mutex<Vec<(String, bool)>>,
}

impl Transport for EveryRequest {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        let free = self.reg.try_lock().is_ok();
        self.seen.lock().unwrap().push((path.to_owned(), free));
        self.inner.post(path, token, content_type, body)
    }
}

#[test]
fn the_register_is_free_during_every_request_the_keys_exchange_included() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = hub(dir.path());
    let transport = hub.in_process();
    let mut reg = register(dir.path(), "vol-x");
    // The keys exchange at enrolment is lost on the way: the keys stay due for the sync.
    let keys_lost = Faulty {
        inner: transport.clone(),
        path: PATH_KEYS,
        nth: 0,
        fault: Fault::BeforeHub,
        seen: Mutex::new(0),
    };
    reg.sync_enrol("inproc", &keys_lost, &code(&store, "vol-x", "a"), None)
        .unwrap();
    add_households(&mut reg, "thon-dong", 1..3, "Nguyễn Thị Lan");
    let reg = Arc::new(Mutex::new(reg));
    let t = EveryRequest {
        inner: transport,
        reg: reg.clone(),
        seen: Mutex::new(Vec::new()),
    };
    assert_eq!(sync_via(&reg, &t).pushed, 2);
    // The keys are kept: the next sync does not ask for them again.
    sync_via(&reg, &t);
    let seen = t.seen.into_inner().unwrap();
    let keys = seen.iter().filter(|(p, _)| p == PATH_KEYS).count();
    assert_eq!(keys, 1, "{seen:?}");
    assert!(seen.iter().any(|(p, _)| p == PATH_SYNC), "{seen:?}");
    let held: Vec<_> = seen.iter().filter(|(_, free)| !free).collect();
    assert!(
        held.is_empty(),
        "requests sent with the register held: {held:?}"
    );
}
