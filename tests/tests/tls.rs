//! HTTPS for real: a hub serving TLS on 127.0.0.1 with a self-signed certificate (a commune hub
//! without a public certificate), devices that pin it, and what a device sees when the pin is
//! wrong, the certificate is not pinned, or it speaks plain HTTP to the HTTPS port. Both backends
//! (`on_both_backends!`).

use std::io::Read;
use std::path::Path;

use gocua_core::model::Relation;
use gocua_core::sync::wire::sha256_hex;
use gocua_core::sync::{self, SessionOutcome, SyncError, SyncOptions, TlsOptions};
use gocua_hub::http::{RunningHub, tls_acceptor};
use gocua_tests::*;

/// A self-signed certificate for 127.0.0.1 and localhost, written as PEM files; returns the
/// certificate's SHA-256 (of its DER), as a coordinator reads it to the volunteers.
fn self_signed(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let rcgen::CertifiedKey { cert, key_pair } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let cert_path = dir.join("hub.crt");
    let key_path = dir.join("hub.key");
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key_pair.serialize_pem()).unwrap();
    (cert_path, key_path, sha256_hex(cert.der()))
}

/// A hub of [`fixture`] serving HTTPS on 127.0.0.1: the fixture, the running hub, its URL and
/// the certificate's pin; `None` when the backend is not available (see [`fixture`]).
fn https_hub(
    backend: Backend,
    dir: &Path,
    test: &str,
) -> Option<(Fixture, RunningHub, String, String)> {
    let fx = fixture(backend, dir, test)?;
    let (cert, key, pin) = self_signed(dir);
    let acceptor = tls_acceptor(&cert, &key).unwrap();
    let running = RunningHub::start(fx.hub.clone(), "127.0.0.1:0", Some(acceptor), false).unwrap();
    let url = format!("https://{}", running.addr);
    Some((fx, running, url, pin))
}

fn pinned(pin: &str) -> TlsOptions {
    TlsOptions {
        pin_sha256: Some(pin.to_owned()),
        extra_root_pem: None,
    }
}

fn a_device_that_pins_the_hubs_certificate_syncs_over_https(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((fx, running, url, pin)) = https_hub(
        backend,
        dir.path(),
        "a_device_that_pins_the_hubs_certificate_syncs_over_https",
    ) else {
        return;
    };
    let store = fx.store.clone();

    let mut reg = register(dir.path(), "vol-tls");
    // The pin as people copy it: upper case, with colons.
    let typed = pin
        .to_ascii_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(":");
    sync::enrol(
        &mut reg,
        &url,
        &code_on(store.as_ref(), "vol-tls", "a"),
        &pinned(&typed),
    )
    .unwrap();
    let id = reg
        .create_household(household("thon-dong", 1))
        .unwrap()
        .value;
    reg.add_member_with_consent(
        &id,
        member("Đặng Thị Thu", Relation::Head),
        &gocua_core::consent_rule::ConsentGiven::every_purpose(),
    )
    .unwrap();
    // The pin was remembered at enrolment: a plain `sync` uses it.
    let r = sync::sync(&mut reg, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    assert_eq!(r.pushed, 1);
    assert_eq!(store.doc_count().unwrap(), 1);

    // A second device of the area receives it over HTTPS.
    let mut other = register(dir.path(), "vol-tls2");
    sync::enrol(
        &mut other,
        &url,
        &code_on(store.as_ref(), "vol-tls2", "a"),
        &pinned(&pin),
    )
    .unwrap();
    let r = sync::sync(&mut other, &SyncOptions::default()).unwrap();
    assert_eq!(r.pulled, 1, "{r:?}");
    assert_eq!(other.household(&id).unwrap(), reg.household(&id).unwrap());
    running.stop();
}

fn a_wrong_pin_an_unpinned_self_signed_hub_and_plain_http_are_refused_cleanly(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((fx, running, url, pin)) = https_hub(
        backend,
        dir.path(),
        "a_wrong_pin_an_unpinned_self_signed_hub_and_plain_http_are_refused_cleanly",
    ) else {
        return;
    };
    let store = fx.store.clone();

    // Another certificate's fingerprint: refused before anything is sent.
    let mut reg = register(dir.path(), "vol-pin");
    let code = code_on(store.as_ref(), "vol-pin", "a");
    let wrong = sha256_hex(b"another certificate");
    let err = sync::enrol(&mut reg, &url, &code, &pinned(&wrong)).unwrap_err();
    assert!(matches!(err, SyncError::CertificateMismatch), "{err:?}");
    assert!(err.to_string().contains("pinned"), "{err}");
    assert!(reg.sync_peer().unwrap().is_none());

    // No pin and a self-signed certificate: not trusted, and the message says how to pin.
    let err = sync::enrol(&mut reg, &url, &code, &TlsOptions::default()).unwrap_err();
    assert!(matches!(err, SyncError::Network(_)), "{err:?}");
    assert!(err.to_string().contains("not trusted"), "{err}");

    // Plain HTTP to the HTTPS port: a clean network error, and the hub keeps serving.
    let plain = format!("http://{}", running.addr);
    let err = sync::enrol(&mut reg, &plain, &code, &TlsOptions::default()).unwrap_err();
    assert!(matches!(err, SyncError::Network(_)), "{err:?}");
    assert!(err.to_string().contains("https://?"), "{err}");

    // A malformed pin is refused before connecting.
    let err = sync::enrol(&mut reg, &url, &code, &pinned("abcd")).unwrap_err();
    assert!(err.to_string().contains("SHA-256"), "{err}");

    // None of the failures used the code: it still enrols, with the right pin.
    sync::enrol(&mut reg, &url, &code, &pinned(&pin)).unwrap();
    reg.create_household(household("thon-tay", 2)).unwrap();
    let r = sync::sync(&mut reg, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success);
    running.stop();
}

fn a_stalled_handshake_does_not_hold_up_other_devices(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((fx, running, url, pin)) = https_hub(
        backend,
        dir.path(),
        "a_stalled_handshake_does_not_hold_up_other_devices",
    ) else {
        return;
    };
    let store = fx.store.clone();
    // A client that connects and never starts its TLS handshake.
    let mut stalled = std::net::TcpStream::connect(running.addr).unwrap();
    let mut reg = register(dir.path(), "vol-stall");
    sync::enrol(
        &mut reg,
        &url,
        &code_on(store.as_ref(), "vol-stall", "a"),
        &pinned(&pin),
    )
    .unwrap();
    reg.create_household(household("thon-dong", 3)).unwrap();
    let r = sync::sync(&mut reg, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success);
    // The hub served the device while the stalled connection was still waiting for its
    // handshake, not after giving up on it (it would then have been closed: a read of 0 bytes).
    stalled.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 16];
    match stalled.read(&mut buf) {
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}"),
        Ok(n) => {
            panic!("the stalled connection was closed ({n} bytes) before the device was served")
        }
    }
    running.stop();
}

on_both_backends!(
    a_device_that_pins_the_hubs_certificate_syncs_over_https,
    a_wrong_pin_an_unpinned_self_signed_hub_and_plain_http_are_refused_cleanly,
    a_stalled_handshake_does_not_hold_up_other_devices,
);
