//! A hub's answer as the device receives it (`Register::sync_with`): an enrolled register sends
//! its request, gets the fuzz bytes as the sync answer (200), and must store what it can or fail
//! with an error, never panic; afterwards the register still reads every household it holds.
//! The register pushes nothing (household ids are random, so no fuzz answer could match its
//! pushes): the answer's pulls and erasure notices are what is exercised.
#![no_main]

use std::sync::{Arc, Mutex};

use gocua_core::Register;
use gocua_core::sync::wire::*;
use gocua_core::sync::{InProcess, Response, SyncOptions};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    reg: Register,
}

static REG: Mutex<Option<Fixture>> = Mutex::new(None);

fn area() -> AreaInfo {
    AreaInfo {
        area_id: "a".into(),
        name: "Đông Tây".into(),
        province_code: gocua_fuzz::PROVINCE.into(),
        commune_code: gocua_fuzz::COMMUNE.into(),
        hamlets: vec![HamletInfo {
            id: "thon-dong".into(),
            name: gocua_fuzz::HAMLET.into(),
        }],
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = gocua_fuzz::register(dir.path(), "vol-fuzz");
    let device = reg.identity().device.0.clone();
    let enrolled = serde_json::to_vec(&EnrolResponse {
        hub_id: "hub-fuzz".into(),
        device_id: device,
        token: "token".into(),
        volunteer_id: "vol-fuzz".into(),
        area: area(),
    })
    .unwrap();
    let hub = InProcess::new(Arc::new(move |_: &str, _: Option<&str>, _: &[u8]| Response {
        status: 200,
        body: enrolled.clone(),
    }));
    reg.sync_enrol("http://hub.invalid", &hub, "ABCD-EFGH-JK", None)
        .expect("enrolment");
    Fixture { _dir: dir, reg }
}

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let d = gocua_fuzz::documents();
    let answer = |results: Vec<PushResult>, pull: Vec<PullDoc>, erased: Vec<DocEpoch>| {
        encode(&SyncResponse {
            session: 1,
            results,
            pull,
            cursor: 5,
            more: false,
            finished: false,
            erased,
            area: None,
            erase_answers: None,
            hub_time: Some(1_790_000_000),
            lineage: None,
            erased_proofs: Vec::new(),
        })
    };
    let pull = |changes: &[u8], heads: &[Head]| PullDoc {
        id: d.id.0.clone(),
        heads: heads.to_vec(),
        changes: changes.to_vec(),
    };
    vec![
        ("nothing", answer(vec![], vec![], vec![])),
        ("pull_whole", answer(vec![], vec![pull(&d.whole, &d.heads)], vec![])),
        ("pull_changes", answer(vec![], vec![pull(&d.changes, &d.later_heads)], vec![])),
        (
            "pull_wrong_id",
            answer(
                vec![],
                vec![PullDoc {
                    id: "h-other".into(),
                    heads: vec![],
                    changes: d.other.clone(),
                }],
                vec![],
            ),
        ),
        (
            "erased",
            answer(
                vec![],
                vec![],
                vec![DocEpoch {
                    id: d.id.0.clone(),
                    epoch: 1,
                    gone: true,
                }],
            ),
        ),
        (
            "finished",
            encode(&SyncResponse {
                session: 1,
                results: vec![],
                pull: vec![],
                cursor: 0,
                more: false,
                finished: true,
                erased: vec![],
                area: None,
                erase_answers: None,
                hub_time: None,
                lineage: None,
                erased_proofs: vec![],
            }),
        ),
    ]
}

fuzz_target!(
    init: gocua_fuzz::seeds("device_sync", seeds),
    |data: &[u8]| {
        let mut guard = REG.lock().unwrap();
        let fx = guard.get_or_insert_with(fixture);
        let answer = data.to_vec();
        let hub = InProcess::new(Arc::new(move |path: &str, _: Option<&str>, body: &[u8]| {
            if path == PATH_SYNC {
                // The fuzz answer to the first request; an error answer to any later one (an
                // answer saying `more` would otherwise be asked again forever).
                let req: SyncRequest = decode(body).expect("the device's request decodes");
                if req.session.is_none() {
                    return Response {
                        status: 200,
                        body: answer.clone(),
                    };
                }
            } else if path == PATH_FINISH {
                let req: FinishRequest = decode(body).expect("the device's finish decodes");
                return Response {
                    status: 200,
                    body: encode(&FinishResponse {
                        session: req.session,
                    }),
                };
            }
            Response {
                status: 503,
                body: serde_json::to_vec(&ErrorBody {
                    code: "internal".into(),
                    message_vi: "lỗi".into(),
                    message_en: "error".into(),
                })
                .unwrap(),
            }
        }));
        let _ = fx.reg.sync_with(&hub, &SyncOptions::default());
        for id in fx.reg.household_ids().unwrap() {
            fx.reg.household(&id).expect("a stored household reads");
        }
    }
);
