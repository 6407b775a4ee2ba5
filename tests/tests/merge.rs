//! A household registered twice by two volunteers is merged by a coordinator while both phones
//! are offline; each phone goes on working on its own copy. When they sync, nothing done at the
//! door is lost or counted twice: the kept household holds both volunteers' work (late edits of
//! the merged one included), phones list only the kept one and open it from the old id. Both
//! backends.

use chrono::NaiveDate;
use gocua_core::Register;
use gocua_core::model::*;
use gocua_core::sync::{InProcess, SessionOutcome, SyncOptions};
use gocua_hub::hub::MergeRefusal;
use gocua_tests::*;

fn sync_ok(reg: &mut Register, t: &InProcess) {
    let r = reg.sync_with(t, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
}

fn on_hub(fx: &Fixture, id: &HouseholdId) -> Household {
    households_on(fx.store.as_ref())
        .into_iter()
        .find(|h| &h.id == id)
        .unwrap()
}

fn head_of(reg: &Register, id: &HouseholdId) -> MemberId {
    reg.household(id).unwrap().head.unwrap()
}

fn merge_while_two_phones_are_offline(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "merge_offline") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let mut b = enrolled(&fx, &t, dir.path(), "vol-b", "a");
    // The same family, at the same door, registered by both volunteers.
    let keep = add_households(&mut a, "thon-dong", 7..8, "Nguyễn Văn An")[0].clone();
    let other = add_households(&mut b, "thon-dong", 7..8, "Nguyen Van An")[0].clone();
    let child = b
        .add_member_with_consent(
            &other,
            member("Nguyễn Thị Hoa", Relation::Child),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )
        .unwrap();
    assert!(
        child.warnings.is_empty() || child.warnings.iter().all(|w| !w.is_error()),
        "a child is not an error"
    );
    sync_ok(&mut a, &t);
    sync_ok(&mut b, &t);
    sync_ok(&mut a, &t);

    // Both phones go offline and keep working.
    let day = NaiveDate::from_ymd_opt(2026, 9, 20).unwrap();
    a.record_visit(&keep, day, VisitOutcome::FollowUpNeeded, None, None)
        .unwrap();
    let b_head = head_of(&b, &other);
    b.set_checklist(
        &other,
        &b_head,
        ChecklistItem::Smartphone,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    b.record_visit(&other, day, VisitOutcome::Registered, None, None)
        .unwrap();

    // The coordinator merges, having compared the two; a stale comparison is refused.
    let seq = |id: &HouseholdId| fx.store.load_doc(id.as_str()).unwrap().unwrap().seq;
    let seen = (seq(&keep), seq(&other));
    assert_eq!(
        fx.hub.merge_households(
            "coord",
            COMMUNE,
            keep.as_str(),
            other.as_str(),
            Some((seen.0, seen.0 + 99))
        ),
        Err(MergeRefusal::Stale)
    );
    assert_eq!(
        fx.hub
            .merge_households("coord", "99999", keep.as_str(), other.as_str(), None),
        Err(MergeRefusal::OtherCommune)
    );
    let done = fx
        .hub
        .merge_households("coord", COMMUNE, keep.as_str(), other.as_str(), Some(seen))
        .unwrap();
    assert_eq!(
        (done.members_added, done.members_matched),
        (1, 1),
        "{done:?}"
    );
    // Merged once, it cannot be merged again.
    assert_eq!(
        fx.hub
            .merge_households("coord", COMMUNE, keep.as_str(), other.as_str(), None),
        Err(MergeRefusal::NotActive)
    );

    // The phones come back, in either order, twice.
    for _ in 0..2 {
        sync_ok(&mut b, &t);
        sync_ok(&mut a, &t);
    }

    let kept = on_hub(&fx, &keep);
    assert_eq!(
        kept.current_members().count(),
        2,
        "the head once, the child"
    );
    let head = kept.head_member().unwrap();
    assert_eq!(
        head.checklist[&ChecklistItem::Smartphone].status,
        ChecklistStatus::Done,
        "B's offline checklist item reached the kept household"
    );
    assert_eq!(
        head.checklist[&ChecklistItem::Smartphone].set_by,
        VolunteerId("vol-b".into()),
        "credited to who did it"
    );
    assert_eq!(
        kept.visits.iter().filter(|v| v.date == day).count(),
        2,
        "both offline visits: {:?}",
        kept.visits
    );
    let merged = on_hub(&fx, &other);
    assert_eq!(merged.lifecycle, Lifecycle::Merged);
    assert_eq!(merged.merged_into.as_ref(), Some(&keep));

    // Every replica agrees; phones list only the kept household and open it from the old id.
    for reg in [&a, &b] {
        assert_eq!(reg.household(&keep).unwrap(), kept);
        assert_eq!(reg.follow_merged(&other).unwrap(), keep);
        let listed = reg.list_hamlet(COMMUNE, "thon-dong", 50, 0).unwrap();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].id, keep);
    }
    // Counted once on the dashboard.
    let d = fx.store.dashboard().unwrap();
    let week = day - chrono::Duration::days(7);
    let overview = d.overview(COMMUNE, week).unwrap();
    assert_eq!(overview.households, 1, "{overview:?}");
}

/// A merge no phone has received is undone: both households return to what they were; once a
/// phone has it, it can no longer be undone.
fn a_merge_is_undone_until_a_phone_receives_it(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "merge_undo") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let mut b = enrolled(&fx, &t, dir.path(), "vol-b", "a");
    let keep = add_households(&mut a, "thon-dong", 3..4, "Lê Văn Tám")[0].clone();
    let other = add_households(&mut b, "thon-dong", 3..4, "Lê Văn Tám")[0].clone();
    b.add_member_with_consent(
        &other,
        member("Lê Thị Sáu", Relation::Wife),
        &gocua_core::consent_rule::ConsentGiven::every_purpose(),
    )
    .unwrap();
    sync_ok(&mut a, &t);
    sync_ok(&mut b, &t);
    sync_ok(&mut a, &t);
    let before = (on_hub(&fx, &keep), on_hub(&fx, &other));

    fx.hub
        .merge_households("coord", COMMUNE, keep.as_str(), other.as_str(), None)
        .unwrap();
    assert_eq!(on_hub(&fx, &keep).current_members().count(), 2);
    let d = fx.store.dashboard().unwrap();
    let m = d.merges(COMMUNE, 10).unwrap().remove(0);
    assert!(fx.hub.merge_undoable(&m).unwrap());
    fx.hub.undo_merge("coord", COMMUNE, m.merge_id).unwrap();
    assert_eq!(on_hub(&fx, &keep), before.0, "the kept household as before");
    assert_eq!(on_hub(&fx, &other), before.1, "the other active again");
    assert_eq!(
        fx.hub.undo_merge("coord", COMMUNE, m.merge_id),
        Err(MergeRefusal::SyncedOut),
        "undone once"
    );
    // The phones never saw the merge and agree with the hub.
    for reg in [&mut a, &mut b] {
        sync_ok(reg, &t);
    }
    for reg in [&a, &b] {
        assert_eq!(reg.household(&keep).unwrap(), before.0);
        assert_eq!(reg.household(&other).unwrap().lifecycle, Lifecycle::Active);
        assert_eq!(
            reg.list_hamlet(COMMUNE, "thon-dong", 50, 0).unwrap().len(),
            2
        );
    }

    // Merged again, and a phone syncs: too late to undo.
    fx.hub
        .merge_households("coord", COMMUNE, keep.as_str(), other.as_str(), None)
        .unwrap();
    sync_ok(&mut a, &t);
    let m = d.merges(COMMUNE, 10).unwrap().remove(0);
    assert!(!fx.hub.merge_undoable(&m).unwrap());
    assert_eq!(
        fx.hub.undo_merge("coord", COMMUNE, m.merge_id),
        Err(MergeRefusal::SyncedOut)
    );
    assert_eq!(a.household(&other).unwrap().lifecycle, Lifecycle::Merged);
}

on_both_backends!(
    merge_while_two_phones_are_offline,
    a_merge_is_undone_until_a_phone_receives_it,
);
