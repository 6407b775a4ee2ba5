//! Bad input at the hub, over real HTTP on 127.0.0.1: each malformed request gets a clear 4xx
//! with a bilingual JSON body, and leaves the hub's data exactly as it was (a dump of every table
//! before and after, the audit log aside). Pairing is rate limited. Both backends
//! (`on_both_backends!`).

use std::io::{Read, Write};

use gocua_core::sync::wire::*;
use gocua_core::sync::{HttpTransport, SyncError, TlsOptions, Transport};
use gocua_hub::http::RunningHub;
use gocua_tests::*;

/// Every row of every table of the hub's storage, as text (the audit log and sessions left out:
/// they record attempts by design).
fn dump(fx: &Fixture) -> Vec<String> {
    if fx.backend == Backend::Postgres {
        // `session_sent` is SQLite's too (it holds what a session sent until it finishes);
        // `schema_migrations` only exists here.
        return postgres_dump(&fx.location, &["audit_log", "sessions"]);
    }
    let db = std::path::Path::new(&fx.location);
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sessions', 'sqlite_sequence') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for row in rows {
            out.push(format!("{t}: {}", row.unwrap()));
        }
    }
    out.sort();
    out
}

fn raw_http(addr: std::net::SocketAddr, request: &[u8]) -> u16 {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let _ = s.write_all(request);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    text.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn malformed_requests_get_a_clear_4xx_and_change_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "malformed_requests_get_a_clear_4xx_and_change_nothing",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let running = RunningHub::start(hub.clone(), "127.0.0.1:0", None, false).unwrap();
    let url = running.url();
    let t = HttpTransport::new(
        &url,
        &TlsOptions::default(),
        std::time::Duration::from_secs(60),
    )
    .unwrap();

    // A real device with a household, and one of the other area.
    let mut a = register(dir.path(), "vol-a");
    a.sync_enrol(&url, &t, &code_on(store.as_ref(), "vol-a", "a"), None)
        .unwrap();
    let mut b = register(dir.path(), "vol-b");
    b.sync_enrol(&url, &t, &code_on(store.as_ref(), "vol-b", "b"), None)
        .unwrap();
    let hid = a.create_household(household("thon-dong", 1)).unwrap().value;
    a.add_member_with_consent(
        &hid,
        member("Nguyễn Thị Lan", gocua_core::model::Relation::Head),
        &gocua_core::consent_rule::ConsentGiven::every_purpose(),
    )
    .unwrap();
    assert_eq!(
        a.sync_with(&t, &Default::default()).unwrap().outcome,
        SessionOutcome::Success
    );
    let token_a = a.sync_peer().unwrap().unwrap();
    // The token is private to the core; read it from the register's file like an attacker with
    // the phone would (the register here is unencrypted).
    let token_a: String = rusqlite::Connection::open(dir.path().join("vol-a.db"))
        .unwrap()
        .query_row(
            "SELECT token FROM sync_peer WHERE peer_id = ?1",
            [&token_a.peer_id],
            |r| r.get(0),
        )
        .unwrap();
    let token_b: String = rusqlite::Connection::open(dir.path().join("vol-b.db"))
        .unwrap()
        .query_row("SELECT token FROM sync_peer", [], |r| r.get(0))
        .unwrap();
    let doc = a.export_document(&hid).unwrap();
    let valid = |push: Vec<PushDoc>| {
        encode(&SyncRequest {
            protocol: PROTOCOL_VERSION,
            push,
            ..Default::default()
        })
    };
    let good_body = valid(vec![]);
    let before = dump(&fx);

    struct Case {
        name: &'static str,
        path: &'static str,
        token: Option<String>,
        body: Vec<u8>,
        status: u16,
        code: &'static str,
    }
    let mut wrong_version = SyncRequest {
        protocol: 99,
        ..Default::default()
    };
    wrong_version.cursor = 0;
    let cases = vec![
        Case {
            name: "garbage",
            path: PATH_SYNC,
            token: Some(token_a.clone()),
            body: b"\x00\xffnot zstd at all".to_vec(),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "empty",
            path: PATH_SYNC,
            token: Some(token_a.clone()),
            body: vec![],
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "truncated",
            path: PATH_SYNC,
            token: Some(token_a.clone()),
            body: good_body[..good_body.len() / 2].to_vec(),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "valid zstd of garbage",
            path: PATH_SYNC,
            token: Some(token_a.clone()),
            body: zstd::bulk::compress(&[0xff; 64], 3).unwrap(),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "decompression bomb",
            path: PATH_SYNC,
            token: Some(token_a.clone()),
            body: zstd::bulk::compress(&vec![0u8; MAX_BODY + 1024], 19).unwrap(),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "wrong protocol version",
            path: PATH_SYNC,
            token: Some(token_a.clone()),
            body: encode(&wrong_version),
            status: 409,
            code: "protocol_version",
        },
        Case {
            name: "no token",
            path: PATH_SYNC,
            token: None,
            body: good_body.clone(),
            status: 401,
            code: "unauthorized",
        },
        Case {
            name: "wrong token",
            path: PATH_SYNC,
            token: Some("0".repeat(64)),
            body: good_body.clone(),
            status: 401,
            code: "unauthorized",
        },
        Case {
            name: "token of another length",
            path: PATH_SYNC,
            token: Some("x".repeat(300)),
            body: good_body.clone(),
            status: 401,
            code: "unauthorized",
        },
        Case {
            name: "finish of a session not its own",
            path: PATH_FINISH,
            token: Some(token_b.clone()),
            body: encode(&FinishRequest {
                protocol: PROTOCOL_VERSION,
                session: 1,
                outcome: SessionOutcome::Success,
                cursor: 0,
                pending_docs: 0,
                error: None,
            }),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "session not its own",
            path: PATH_SYNC,
            token: Some(token_b.clone()),
            body: encode(&SyncRequest {
                protocol: PROTOCOL_VERSION,
                session: Some(1),
                ..Default::default()
            }),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "enrol garbage",
            path: PATH_ENROL,
            token: None,
            body: b"{not json".to_vec(),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "enrol wrong code",
            path: PATH_ENROL,
            token: None,
            body: serde_json::to_vec(&EnrolRequest {
                protocol: PROTOCOL_VERSION,
                code: "AAAA-BBBB-CC".into(),
                device_id: "dev-x".into(),
                volunteer_id: "vol-x".into(),
                commune_code: COMMUNE.into(),
            })
            .unwrap(),
            status: 403,
            code: "pairing_invalid",
        },
        Case {
            name: "enrol wrong version",
            path: PATH_ENROL,
            token: None,
            body: serde_json::to_vec(&EnrolRequest {
                protocol: 7,
                code: "AAAA-BBBB-CC".into(),
                device_id: "dev-x".into(),
                volunteer_id: "vol-x".into(),
                commune_code: COMMUNE.into(),
            })
            .unwrap(),
            status: 409,
            code: "protocol_version",
        },
        Case {
            name: "too many erasure requests",
            path: PATH_SYNC,
            token: Some(token_b.clone()),
            body: encode(&SyncRequest {
                protocol: PROTOCOL_VERSION,
                erase: vec![
                    EraseRequest {
                        id: hid.0.clone(),
                        member: None
                    };
                    1001
                ],
                ..Default::default()
            }),
            status: 400,
            code: "bad_request",
        },
        Case {
            name: "forged erasure id",
            path: PATH_SYNC,
            token: Some(token_b.clone()),
            body: encode(&SyncRequest {
                protocol: PROTOCOL_VERSION,
                erase: vec![EraseRequest {
                    id: "../../x".into(),
                    member: None,
                }],
                ..Default::default()
            }),
            status: 400,
            code: "bad_request",
        },
    ];
    for case in &cases {
        let resp = t
            .post(
                case.path,
                case.token.as_deref(),
                CONTENT_TYPE,
                case.body.clone(),
            )
            .unwrap();
        assert_eq!(resp.status, case.status, "{}", case.name);
        let err: ErrorBody =
            serde_json::from_slice(&resp.body).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(err.code, case.code, "{}", case.name);
        assert!(
            !err.message_vi.is_empty() && !err.message_en.is_empty(),
            "{}",
            case.name
        );
        assert_eq!(dump(&fx), before, "{} changed the hub's data", case.name);
    }

    // Accepted at the HTTP level, refused per document, nothing stored: wrong area (B pushes A's
    // household, and erases it), forged ids, a document under another id.
    let forged = vec![
        PushDoc {
            id: hid.0.clone(),
            heads: vec![],
            changes: doc.clone(),
        },
        PushDoc {
            id: "../../etc/passwd".into(),
            heads: vec![],
            changes: doc.clone(),
        },
        PushDoc {
            id: "0123456789abcdef0123456789abcdef".into(),
            heads: vec![],
            changes: doc.clone(),
        },
    ];
    let mut req = SyncRequest {
        protocol: PROTOCOL_VERSION,
        push: forged,
        ..Default::default()
    };
    req.erase = vec![EraseRequest {
        id: hid.0.clone(),
        member: None,
    }];
    let resp = t
        .post(PATH_SYNC, Some(&token_b), CONTENT_TYPE, encode(&req))
        .unwrap();
    assert_eq!(resp.status, 200);
    let answer: SyncResponse = decode(&resp.body).unwrap();
    let codes: Vec<String> = answer
        .results
        .iter()
        .map(|r| match &r.outcome {
            PushOutcome::Rejected { code, .. } => code.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(codes, ["outside_area", "bad_id", "wrong_id"]);
    assert!(
        answer.pull.is_empty() && answer.erased.is_empty(),
        "another area's data leaked"
    );
    let after: Vec<String> = dump(&fx)
        .into_iter()
        .filter(|r| !r.starts_with("rejections:") && !r.starts_with("devices:"))
        .collect();
    let before_kept: Vec<String> = before
        .iter()
        .filter(|r| !r.starts_with("rejections:") && !r.starts_with("devices:"))
        .cloned()
        .collect();
    assert_eq!(
        after, before_kept,
        "forged documents changed the hub's documents"
    );

    // Oversized and cut-off bodies at the HTTP level.
    // The hub refuses it from its announced length without reading it: the client sees the
    // 413, or (still writing when the hub answered and closed) a broken pipe.
    let big = vec![b'x'; 33 * 1024 * 1024];
    match t.post(PATH_SYNC, Some(&token_a), CONTENT_TYPE, big) {
        Ok(resp) => assert_eq!(resp.status, 413, "oversized body"),
        Err(e) => assert!(
            matches!(e, SyncError::Interrupted(_) | SyncError::Network(_)),
            "oversized body: {e:?}"
        ),
    }
    let cut = format!(
        "POST {PATH_SYNC} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token_a}\r\nContent-Length: 1000\r\n\r\nshort"
    );
    let status = raw_http(running.addr, cut.as_bytes());
    assert!(
        status == 0 || (400..500).contains(&status),
        "cut-off body answered {status}"
    );
    let status = raw_http(running.addr, b"\x16\x03\x01 this is not http\r\n\r\n");
    assert!(
        status == 0 || (400..500).contains(&status),
        "non-HTTP answered {status}"
    );
    let keep = |d: Vec<String>| -> Vec<String> {
        d.into_iter()
            .filter(|r| !r.starts_with("rejections:") && !r.starts_with("devices:"))
            .collect()
    };
    assert_eq!(keep(dump(&fx)), before_kept);
    running.stop();
}

fn pairing_is_rate_limited(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "pairing_is_rate_limited") else {
        return;
    };
    let hub = fx.hub.clone();
    let body = serde_json::to_vec(&EnrolRequest {
        protocol: PROTOCOL_VERSION,
        code: "AAAA-BBBB-CC".into(),
        device_id: "dev-x".into(),
        volunteer_id: "vol-x".into(),
        commune_code: COMMUNE.into(),
    })
    .unwrap();
    let statuses: Vec<u16> = (0..100)
        .map(|_| hub.handle(PATH_ENROL, None, &body).status)
        .collect();
    assert!(statuses[..60].iter().all(|&s| s == 403), "{statuses:?}");
    let limited = statuses.iter().filter(|&&s| s == 429).count();
    assert!(limited >= 35, "only {limited} of 100 guesses were limited");
}

on_both_backends!(
    malformed_requests_get_a_clear_4xx_and_change_nothing,
    pairing_is_rate_limited,
);
