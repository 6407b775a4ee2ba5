//! Sync bodies as the hub and the device decode them (postcard in zstd), and the JSON bodies
//! (enrolment request and answer, error answer). A body that decodes encodes to one that decodes
//! to the same value.
#![no_main]

use gocua_core::sync::wire::*;
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Ok(value) = decode::<T>(data) {
        let again: T = decode(&encode(&value)).expect("a re-encoded body decodes");
        assert_eq!(again, value);
    }
}

fn json_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let bytes = serde_json::to_vec(&value).expect("JSON encoding");
        let again: T = serde_json::from_slice(&bytes).expect("re-encoded JSON decodes");
        assert_eq!(again, value);
    }
}

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let docs = gocua_fuzz::documents();
    let push = PushDoc {
        id: docs.id.0.clone(),
        heads: docs.heads.clone(),
        changes: docs.whole.clone(),
    };
    let mut request = gocua_fuzz::sync_request(Some(7), vec![push]);
    request.erase.push(EraseRequest {
        id: "h-erased".into(),
        member: Some("m-1".into()),
    });
    request.epochs.push(DocEpoch {
        id: docs.id.0.clone(),
        epoch: 1,
        gone: false,
    });
    request.resend.push("h-resend".into());
    let response = SyncResponse {
        session: 7,
        results: vec![
            PushResult {
                id: docs.id.0.clone(),
                outcome: PushOutcome::Stored,
            },
            PushResult {
                id: "h-2".into(),
                outcome: PushOutcome::Rejected {
                    code: "invalid".into(),
                    message_vi: "sai".into(),
                    message_en: "wrong".into(),
                },
            },
            PushResult {
                id: "h-3".into(),
                outcome: PushOutcome::Erased {
                    epoch: 2,
                    gone: true,
                },
            },
            PushResult {
                id: "h-4".into(),
                outcome: PushOutcome::NeedFull,
            },
        ],
        pull: vec![PullDoc {
            id: docs.id.0.clone(),
            heads: docs.later_heads.clone(),
            changes: docs.changes.clone(),
        }],
        cursor: 99,
        more: true,
        finished: false,
        erased: vec![DocEpoch {
            id: "h-3".into(),
            epoch: 2,
            gone: true,
        }],
        area: None,
        erase_answers: Some(vec![EraseAnswer {
            id: "h-4".into(),
            member: Some("m-1".into()),
            state: EraseRequestState::Pending,
        }]),
        hub_time: Some(1_790_000_000),
        lineage: None,
        erased_proofs: Vec::new(),
    };
    let finish = FinishRequest {
        protocol: PROTOCOL_VERSION,
        session: 7,
        outcome: SessionOutcome::Partial,
        cursor: 99,
        pending_docs: 1,
        error: Some("rejected".into()),
    };
    let enrol = EnrolRequest {
        protocol: PROTOCOL_VERSION,
        code: "ABCD-EFGH-JK".into(),
        device_id: "dev-1".into(),
        volunteer_id: "vol-1".into(),
        commune_code: gocua_fuzz::COMMUNE.into(),
    };
    let enrolled = EnrolResponse {
        hub_id: "hub-1".into(),
        device_id: "dev-1".into(),
        token: "00ff".into(),
        volunteer_id: "vol-1".into(),
        area: AreaInfo {
            area_id: "a".into(),
            name: "Đông Tây".into(),
            province_code: gocua_fuzz::PROVINCE.into(),
            commune_code: gocua_fuzz::COMMUNE.into(),
            hamlets: vec![HamletInfo {
                id: "thon-dong".into(),
                name: gocua_fuzz::HAMLET.into(),
            }],
        },
    };
    let error = ErrorBody {
        code: "bad_request".into(),
        message_vi: "yêu cầu sai".into(),
        message_en: "bad request".into(),
    };
    vec![
        ("empty_request", encode(&gocua_fuzz::sync_request(None, vec![]))),
        ("push_request", encode(&request)),
        ("response", encode(&response)),
        ("finish_request", encode(&finish)),
        ("finish_response", encode(&FinishResponse { session: 7 })),
        ("enrol.json", serde_json::to_vec(&enrol).unwrap()),
        ("enrolled.json", serde_json::to_vec(&enrolled).unwrap()),
        ("error.json", serde_json::to_vec(&error).unwrap()),
        ("garbage", b"garbage".to_vec()),
    ]
}

fuzz_target!(
    init: gocua_fuzz::seeds("sync_wire", seeds),
    |data: &[u8]| {
        round_trip::<SyncRequest>(data);
        round_trip::<SyncResponse>(data);
        round_trip::<FinishRequest>(data);
        round_trip::<FinishResponse>(data);
        json_round_trip::<EnrolRequest>(data);
        json_round_trip::<EnrolResponse>(data);
        json_round_trip::<ErrorBody>(data);
    }
);
