#!/usr/bin/env bash
# Builds gocua-ffi (debug) and generates its Kotlin and Swift bindings into target/bindings/.
# The generated code is build output: never edited, never committed.
#   target/debug/libgocua_ffi.so
#   target/bindings/kotlin/vn/gocua/core/gocua_ffi.kt
#   target/bindings/swift/{GocuaCore.swift, GocuaCoreFFI.h, GocuaCoreFFI.modulemap}
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=target/bindings
LIB=target/debug/libgocua_ffi.so

echo "== cargo build -p gocua-ffi -p uniffi-bindgen"
cargo build --quiet -p gocua-ffi -p uniffi-bindgen

rm -rf "$OUT/kotlin" "$OUT/swift"
mkdir -p "$OUT/kotlin" "$OUT/swift"
echo "== generate Kotlin into $OUT/kotlin"
target/debug/uniffi-bindgen generate "$LIB" --language kotlin --out-dir "$OUT/kotlin" --no-format
echo "== generate Swift into $OUT/swift"
target/debug/uniffi-bindgen generate "$LIB" --language swift --out-dir "$OUT/swift" --no-format
ls "$OUT/swift"
