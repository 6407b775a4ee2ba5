//! A request lost on the way (the link dropped or stalled after the hub was reached) is sent again
//! within the same sync, in smaller batches, up to `SyncOptions::retries` times; a hub that cannot
//! be reached at all fails the sync at once. Either way nothing is lost or duplicated.

use std::collections::VecDeque;
use std::sync::Mutex;

use gocua_core::Register;
use gocua_core::sync::wire::{PATH_SYNC, SyncRequest, decode};
use gocua_core::sync::{InProcess, Response, SessionOutcome, SyncError, SyncOptions, Transport};
use gocua_tests::*;

/// What happens to the next sync request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Link {
    Pass,
    /// Dropped before the hub saw it.
    DropBefore,
    /// The hub handled it; the answer was lost.
    DropAfter,
    /// The hub could not be reached.
    Refused,
}

struct PlannedLink {
    inner: InProcess,
    plan: Mutex<VecDeque<Link>>,
    /// Households pushed by each sync request that reached the link, in order.
    pushes: Mutex<Vec<usize>>,
}

impl PlannedLink {
    fn new(inner: InProcess, plan: &[Link]) -> Self {
        Self {
            inner,
            plan: Mutex::new(plan.iter().copied().collect()),
            pushes: Mutex::default(),
        }
    }

    fn pushes(&self) -> Vec<usize> {
        self.pushes.lock().unwrap().clone()
    }
}

impl Transport for PlannedLink {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        if path != PATH_SYNC {
            return self.inner.post(path, token, content_type, body);
        }
        let req: SyncRequest = decode(&body).unwrap();
        self.pushes.lock().unwrap().push(req.push.len());
        let step = self.plan.lock().unwrap().pop_front().unwrap_or(Link::Pass);
        match step {
            Link::Pass => self.inner.post(path, token, content_type, body),
            Link::DropBefore => Err(SyncError::Interrupted("injected drop".into())),
            Link::DropAfter => {
                self.inner.post(path, token, content_type, body)?;
                Err(SyncError::Interrupted("injected drop".into()))
            }
            Link::Refused => Err(SyncError::Network("connection failed".into())),
        }
    }
}

const HOUSEHOLDS: usize = 40;

/// A device enrolled in area `a` (whose hamlets it learns at enrolment) with new households.
fn device_with_work(
    dir: &std::path::Path,
    store: &gocua_hub::SqliteStore,
    hub: &std::sync::Arc<gocua_hub::Hub>,
) -> Register {
    let mut reg = register(dir, "vol-x");
    reg.sync_enrol(
        "inproc",
        &hub.in_process(),
        &code(store, "vol-x", "a"),
        None,
    )
    .unwrap();
    add_households(&mut reg, "thon-dong", 0..HOUSEHOLDS, "Phạm Thị Lan");
    reg
}

fn small_batches(retries: u32) -> SyncOptions<'static> {
    SyncOptions {
        // About ten households a request, so the sync takes several.
        batch_bytes: 16 * 1024,
        retries,
        ..SyncOptions::default()
    }
}

#[test]
fn lost_requests_are_sent_again_in_smaller_batches_within_the_sync() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let mut reg = device_with_work(dir.path(), &store, &hub);
    let options = SyncOptions {
        batch_bytes: 64 * 1024,
        ..small_batches(3)
    };
    let link = PlannedLink::new(
        hub.in_process(),
        &[
            Link::DropAfter,
            Link::DropBefore,
            Link::Pass,
            Link::DropAfter,
        ],
    );
    let report = reg.sync_with(&link, &options).unwrap();
    assert_eq!(report.outcome, SessionOutcome::Success);
    assert_eq!(reg.pending_count().unwrap(), 0);

    let pushes = link.pushes();
    assert!(pushes.len() >= 5, "{pushes:?}");
    // Each lost request halves the batch: the third request carries fewer households than the
    // first, and everything was sent at least once after the losses.
    assert!(pushes[2] < pushes[0], "{pushes:?}");
    assert!(
        pushes[2..].iter().sum::<usize>() >= HOUSEHOLDS - pushes[0],
        "{pushes:?}"
    );

    // The hub holds each household once, with its member.
    let on_hub = hub_households(&store);
    assert_eq!(on_hub.len(), HOUSEHOLDS);
    assert!(on_hub.iter().all(|h| h.members.len() == 1));
    assert_eq!(on_hub, device_households(&reg));

    // A second device gets all of it.
    let mut other = register(dir.path(), "vol-y");
    other
        .sync_enrol(
            "inproc",
            &hub.in_process(),
            &code(&store, "vol-y", "a"),
            None,
        )
        .unwrap();
    other
        .sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();
    assert_eq!(device_households(&other), on_hub);
}

#[test]
fn a_sync_gives_up_after_its_retries_and_the_next_one_finishes_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let mut reg = device_with_work(dir.path(), &store, &hub);
    let link = PlannedLink::new(hub.in_process(), &[Link::DropAfter; 3]);
    let err = reg.sync_with(&link, &small_batches(2)).unwrap_err();
    assert!(matches!(err, SyncError::Interrupted(_)), "{err:?}");
    assert_eq!(err.kind(), "network");
    // One request and its two retries, then the sync stopped.
    assert_eq!(link.pushes().len(), 3);
    let status = reg.sync_status().unwrap().unwrap();
    assert_eq!(status.last_error.as_deref(), Some("network"));

    let report = reg
        .sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();
    assert_eq!(report.outcome, SessionOutcome::Success);
    assert_eq!(reg.pending_count().unwrap(), 0);
    assert_eq!(hub_households(&store).len(), HOUSEHOLDS);
    assert_eq!(hub_households(&store), device_households(&reg));
}

#[test]
fn an_unreachable_hub_fails_the_sync_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let mut reg = device_with_work(dir.path(), &store, &hub);
    let link = PlannedLink::new(hub.in_process(), &[Link::Refused]);
    let err = reg.sync_with(&link, &small_batches(4)).unwrap_err();
    assert!(matches!(err, SyncError::Network(_)), "{err:?}");
    assert_eq!(link.pushes().len(), 1);
    assert_eq!(reg.pending_count().unwrap() as usize, HOUSEHOLDS);
    assert!(hub_households(&store).is_empty());
}
