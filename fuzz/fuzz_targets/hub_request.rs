//! A request body as the hub receives it (`Hub::handle`, what its HTTP endpoint calls), on a hub
//! with an SQLite store, two areas and one enrolled device. The first byte chooses the endpoint
//! (sync, finish, enrol); the rest is the body, sent with the device's token. Bad bodies must be
//! answered with a 4xx error, never a panic or a 5xx.
#![no_main]

use std::sync::{Arc, OnceLock};

use chrono::Utc;
use gocua_core::sync::wire::*;
use gocua_hub::{Hub, HubConfig, SqliteStore, admin};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    hub: Arc<Hub>,
    token: String,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

const PATHS: [&str; 3] = [PATH_SYNC, PATH_FINISH, PATH_ENROL];

fn enrol_body(code: &str, device: &str) -> Vec<u8> {
    serde_json::to_vec(&EnrolRequest {
        protocol: PROTOCOL_VERSION,
        code: code.into(),
        device_id: device.into(),
        volunteer_id: "vol-seed".into(),
        commune_code: gocua_fuzz::COMMUNE.into(),
    })
    .unwrap()
}

fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        let store = Arc::new(SqliteStore::open_in_memory().expect("hub store"));
        let now = Utc::now();
        admin::add_coordinator(store.as_ref(), "coord", "Cán bộ xã", gocua_fuzz::COMMUNE, now)
            .unwrap();
        admin::create_area(
            store.as_ref(),
            "a",
            "Đông Tây",
            gocua_fuzz::COMMUNE,
            &[gocua_fuzz::HAMLET.into(), "Thôn Tây".into()],
        )
        .unwrap();
        admin::create_area(store.as_ref(), "b", "Bắc", gocua_fuzz::COMMUNE, &["Thôn Bắc".into()])
            .unwrap();
        let config = HubConfig {
            // Every fuzz input may be an enrolment: never rate-limited.
            enrol_burst: u32::MAX,
            ..HubConfig::default()
        };
        let hub = Arc::new(Hub::new(store.clone(), config));
        let code = admin::issue_pairing(
            store.as_ref(),
            "coord",
            "vol-seed",
            "a",
            chrono::Duration::days(30),
            now,
        )
        .unwrap();
        // The device that wrote the seed documents (`gocua_fuzz::register`), so its pushes pass
        // the hub's attribution check.
        let answer = hub.handle(PATH_ENROL, None, &enrol_body(&code, gocua_fuzz::DEVICE));
        assert_eq!(answer.status, 200, "enrolment");
        let enrolled: EnrolResponse = serde_json::from_slice(&answer.body).unwrap();
        // A household the device pushed earlier, so pushes can extend it.
        let docs = gocua_fuzz::documents();
        let push = PushDoc {
            id: docs.id.0.clone(),
            heads: docs.heads.clone(),
            changes: docs.whole.clone(),
        };
        let answer = hub.handle(
            PATH_SYNC,
            Some(&enrolled.token),
            &encode(&gocua_fuzz::sync_request(None, vec![push])),
        );
        assert_eq!(answer.status, 200, "first push");
        let answer: SyncResponse = decode(&answer.body).unwrap();
        assert_eq!(answer.results[0].outcome, PushOutcome::Stored);
        Fixture {
            hub,
            token: enrolled.token,
        }
    })
}

fn with(selector: u8, bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![selector];
    v.extend_from_slice(bytes);
    v
}

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let d = gocua_fuzz::documents();
    let push = |changes: &[u8], heads: &[Head]| PushDoc {
        id: d.id.0.clone(),
        heads: heads.to_vec(),
        changes: changes.to_vec(),
    };
    let mut erase = gocua_fuzz::sync_request(None, vec![]);
    erase.erase.push(EraseRequest {
        id: d.id.0.clone(),
        member: Some("m-1".into()),
    });
    let other = PushDoc {
        id: "h-other".into(),
        heads: vec![],
        changes: d.other.clone(),
    };
    vec![
        ("sync_empty", with(0, &encode(&gocua_fuzz::sync_request(None, vec![])))),
        (
            "sync_push_changes",
            with(0, &encode(&gocua_fuzz::sync_request(None, vec![push(&d.changes, &d.later_heads)]))),
        ),
        (
            "sync_push_whole",
            with(0, &encode(&gocua_fuzz::sync_request(None, vec![push(&d.whole, &d.heads)]))),
        ),
        (
            "sync_push_wrong_id",
            with(0, &encode(&gocua_fuzz::sync_request(None, vec![other]))),
        ),
        ("sync_erase", with(0, &encode(&erase))),
        (
            "finish",
            with(
                1,
                &encode(&FinishRequest {
                    protocol: PROTOCOL_VERSION,
                    session: 1,
                    outcome: SessionOutcome::Success,
                    cursor: 1,
                    pending_docs: 0,
                    error: None,
                }),
            ),
        ),
        ("enrol", with(2, &enrol_body("ABCD-EFGH-JK", "dev-2"))),
    ]
}

fuzz_target!(
    init: {
        gocua_fuzz::seeds("hub_request", seeds);
        fixture();
    },
    |data: &[u8]| {
        let Some((&selector, body)) = data.split_first() else {
            return;
        };
        let fx = fixture();
        let path = PATHS[selector as usize % PATHS.len()];
        let answer = fx.hub.handle(path, Some(&fx.token), body);
        assert!(answer.status < 500, "{path}: status {}", answer.status);
        if answer.status == 200 && path != PATH_ENROL {
            // A 200 answer is a body the device can read.
            if path == PATH_SYNC {
                decode::<SyncResponse>(&answer.body).expect("sync answer decodes");
            } else {
                decode::<FinishResponse>(&answer.body).expect("finish answer decodes");
            }
        } else if answer.status != 200 {
            serde_json::from_slice::<ErrorBody>(&answer.body).expect("error answer decodes");
        }
    }
);
