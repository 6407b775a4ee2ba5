//! The commune's existing list imported at the hub (issue 17): households reach the phones of
//! their hamlet "to verify", hold nothing that needs consent, are confirmed by a visit at the
//! door, and importing again changes nothing. A file with any error imports nothing.

use chrono::Utc;
use gocua_core::model::{Lifecycle, VisitOutcome};
use gocua_core::screens::area::{AreaEvent, AreaModel};
use gocua_core::screens::view::Lang;
use gocua_core::sync::SyncOptions;
use gocua_hub::import::{self, RowStatus, table};
use gocua_tests::*;

const LIST: &str = "\u{feff}Mã hộ,Thôn,Số nhà,Đường,Họ tên,Quan hệ,Giới tính,Số định danh,Điện thoại\n\
H001,Thôn Đông,12,Đường Làng,Nguyễn Văn Toàn,Chủ hộ,nam,001080077777,0912777777\n\
H001,Thôn Đông,12,Đường Làng,Trần Thị Tâm,Vợ,nữ,,\n\
H002,thon dong,14,Đường Làng,Lê Văn Tú,Chủ hộ,Nam,,\n";

fn doc_count(store: &dyn gocua_hub::HubStore) -> usize {
    store.doc_ids().unwrap().len()
}

fn imported_households_are_verified_at_the_door(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "import_verify") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let s = store.as_ref();
    let t = table::read(LIST.as_bytes()).unwrap();
    let plan = import::plan(s, "coord", COMMUNE, &t, Utc::now()).unwrap();
    let r = &plan.report;
    assert_eq!((r.households_new, r.members_new, r.errors), (2, 3, 0));
    assert_eq!(r.notes.len(), 2, "the ID and phone columns: {:?}", r.notes);
    assert!(r.notes.iter().all(|(_, en)| en.contains("consent")));
    assert_eq!(import::apply(s, "coord", &plan, Utc::now()).unwrap(), 2);
    let week = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let overview = s.dashboard().unwrap().overview(COMMUNE, week).unwrap();
    assert_eq!(
        (overview.households, overview.to_verify),
        (0, 2),
        "not registered yet"
    );
    for secret in ["001080077777", "0912777777"] {
        for (id, _, _) in s.doc_ids().unwrap() {
            let bytes = s.load_doc(&id).unwrap().unwrap().bytes;
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
        }
    }

    // The phone of the hamlet's area receives them to verify.
    let transport = hub.in_process();
    let mut lan = enrolled(&fx, &transport, dir.path(), "vol-lan", "a");
    lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    let ids = lan.household_ids().unwrap();
    assert_eq!(ids.len(), 2);
    for id in &ids {
        let h = lan.household(id).unwrap();
        assert_eq!(h.lifecycle, Lifecycle::ToVerify);
        assert!(
            h.members
                .values()
                .all(|m| m.id_number.is_none() && m.phone.is_none())
        );
        assert!(h.head.is_some());
    }
    let mut area = AreaModel::new(Lang::En);
    let view = area.handle(&lan, AreaEvent::ChooseHamlet("thon-dong".into()));
    assert!(
        view.header
            .contains(&"2 households to verify at the door".to_owned()),
        "{:?}",
        view.header
    );
    assert!(view.households[0].badges[0].contains("to verify at the door"));

    // Met at the door: the visit recorded as "registered" confirms it.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 16).unwrap();
    lan.record_visit(&ids[0], today, VisitOutcome::Registered, None, None)
        .unwrap();
    assert_eq!(lan.household(&ids[0]).unwrap().lifecycle, Lifecycle::Active);
    lan.record_visit(&ids[1], today, VisitOutcome::NotHome, None, None)
        .unwrap();
    assert_eq!(
        lan.household(&ids[1]).unwrap().lifecycle,
        Lifecycle::ToVerify
    );
    lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    let on_hub = households_on(s);
    let confirmed = on_hub.iter().find(|h| h.id == ids[0]).unwrap();
    assert_eq!(confirmed.lifecycle, Lifecycle::Active);
    let overview = s.dashboard().unwrap().overview(COMMUNE, week).unwrap();
    assert_eq!((overview.households, overview.to_verify), (1, 1));

    // The same file again: nothing new, nothing overwritten.
    let seqs: Vec<u64> = ids
        .iter()
        .map(|id| s.load_doc(id.as_str()).unwrap().unwrap().seq)
        .collect();
    let again = import::plan(s, "coord", COMMUNE, &t, Utc::now()).unwrap();
    assert_eq!(
        (again.report.households_new, again.report.households_skipped),
        (0, 2)
    );
    assert!(
        again
            .report
            .rows
            .iter()
            .all(|r| r.status == RowStatus::AlreadyImported)
    );
    assert_eq!(import::apply(s, "coord", &again, Utc::now()).unwrap(), 0);
    let after: Vec<u64> = ids
        .iter()
        .map(|id| s.load_doc(id.as_str()).unwrap().unwrap().seq)
        .collect();
    assert_eq!(seqs, after);
}

fn a_file_with_any_error_imports_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "import_errors") else {
        return;
    };
    let s = fx.store.as_ref();
    let check = |text: &str| {
        let t = table::read(text.as_bytes()).unwrap();
        import::plan(s, "coord", COMMUNE, &t, Utc::now()).unwrap()
    };
    // Missing columns.
    let p = check("ma_ho,ho_ten\nH1,An\n");
    assert!(p.report.errors > 0 && !p.report.can_import());
    assert!(
        p.report.notes[0].1.contains("thon, quan_he"),
        "{:?}",
        p.report.notes
    );
    // Bad rows among good ones: each named with its line, nothing written.
    let p = check(
        "ma_ho,thon,ho_ten,quan_he,gioi_tinh\n\
         H1,Thôn Đông,Nguyễn Văn An,Chủ hộ,nam\n\
         H2,Thôn Nam,Lê Văn Bình,Chủ hộ,nam\n\
         H3,Thôn Đông,,Chủ hộ,nam\n\
         H4,Thôn Đông,Phạm Văn Cường,Chú bác,nam\n\
         H5,Thôn Đông,Đỗ Văn Dũng,Chủ hộ,x\n\
         H6,Thôn Đông,Võ Văn Em,Chủ hộ,nam\n\
         H6,Thôn Tây,Võ Thị Em,Vợ,nữ\n\
         H7,Thôn Đông,Hồ Văn Giang,Chủ hộ,nam\n\
         H7,Thôn Đông,Hồ Văn Hải,Chủ hộ,nam\n",
    );
    let errors: Vec<usize> = p
        .report
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Error)
        .map(|r| r.line)
        .collect();
    assert_eq!(errors, [3, 4, 5, 6, 8, 9, 10], "{:?}", p.report.rows);
    assert!(!p.report.can_import());
    assert_eq!(import::apply(s, "coord", &p, Utc::now()).unwrap(), 0);
    assert_eq!(doc_count(s), 0, "nothing half-imported");
    for row in &p.report.rows {
        for (vi, en) in &row.messages {
            assert!(
                !vi.contains("Lê Văn") && !en.contains("Phạm"),
                "no names in messages"
            );
        }
    }
    // Unreadable files are refused whole, with what to do.
    let mut latin = b"ma_ho,thon,ho_ten,quan_he\nH1,Th".to_vec();
    latin.push(0xF4);
    assert!(table::read(&latin).unwrap_err().en.contains("CSV UTF-8"));
    let huge = vec![b'x'; table::MAX_FILE_BYTES + 1];
    assert!(
        table::read(&huge)
            .unwrap_err()
            .en
            .contains("split it by hamlet")
    );
    let mut many = String::from("ma_ho,thon,ho_ten,quan_he\n");
    for i in 0..=table::MAX_ROWS {
        many.push_str(&format!("H{i},Thôn Đông,Nguyễn Văn An,Chủ hộ\n"));
    }
    assert!(
        table::read(many.as_bytes())
            .unwrap_err()
            .en
            .contains("more than")
    );
}

fn a_household_registered_already_is_not_imported_twice(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "import_registered") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut lan = enrolled(&fx, &transport, dir.path(), "vol-lan", "a");
    // Toàn at the list's address (12 Đường Làng); another Lê Văn Tú elsewhere in the hamlet.
    add_households(&mut lan, "thon-dong", 12..13, "Nguyễn Văn Toàn");
    add_households(&mut lan, "thon-dong", 99..100, "Lê Văn Tú");
    lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    let t = table::read(LIST.as_bytes()).unwrap();
    let p = import::plan(store.as_ref(), "coord", COMMUNE, &t, Utc::now()).unwrap();
    let statuses: Vec<RowStatus> = p.report.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            RowStatus::AlreadyRegistered,
            RowStatus::AlreadyRegistered,
            RowStatus::New
        ]
    );
    assert_eq!(
        import::apply(store.as_ref(), "coord", &p, Utc::now()).unwrap(),
        1
    );
    assert_eq!(
        doc_count(store.as_ref()),
        3,
        "the same name at another address is imported"
    );
}

on_both_backends!(
    imported_households_are_verified_at_the_door,
    a_file_with_any_error_imports_nothing,
    a_household_registered_already_is_not_imported_twice,
);
