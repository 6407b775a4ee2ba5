//! Sync bodies as the hub and the device decode them (postcard in zstd), and the JSON bodies.
#![no_main]

use gocua_core::sync::wire::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode::<SyncRequest>(data);
    let _ = decode::<SyncResponse>(data);
    let _ = decode::<FinishRequest>(data);
    let _ = decode::<FinishResponse>(data);
    let _ = serde_json::from_slice::<EnrolRequest>(data);
    let _ = serde_json::from_slice::<EnrolResponse>(data);
    let _ = serde_json::from_slice::<ErrorBody>(data);
});
