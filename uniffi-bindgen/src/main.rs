//! `cargo run -p uniffi-bindgen -- generate <library> --language kotlin|swift --out-dir <dir>`:
//! UniFFI's generator at exactly the version the library was built with (see scripts/bindings.sh).

fn main() {
    uniffi::uniffi_bindgen_main()
}
