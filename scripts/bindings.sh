#!/usr/bin/env bash
# Builds gocua-ffi (debug) and generates its Kotlin and Swift bindings into target/bindings/.
# The generated code is build output: never edited, never committed.
#   target/debug/libgocua_ffi.so
#   target/bindings/kotlin/vn/gocua/core/gocua_ffi.kt
#   target/bindings/swift/{GocuaCore.swift, GocuaCoreFFI.h, GocuaCoreFFI.modulemap}
# A file is replaced (atomically) only when its content changed, so that a suite running at the
# same time never reads half a file and unchanged bindings are not recompiled.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=target/bindings
LIB=target/debug/libgocua_ffi.so

echo "== cargo build -p gocua-ffi -p uniffi-bindgen"
cargo build --quiet -p gocua-ffi -p uniffi-bindgen

mkdir -p "$OUT"
tmp=$(mktemp -d "$OUT/.gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "== generate Kotlin and Swift into $OUT"
target/debug/uniffi-bindgen generate "$LIB" --language kotlin --out-dir "$tmp/kotlin" --no-format >/dev/null
target/debug/uniffi-bindgen generate "$LIB" --language swift --out-dir "$tmp/swift" --no-format >/dev/null
(cd "$tmp" && find . -type f) | while IFS= read -r f; do
    f=${f#./}
    dst="$OUT/$f"
    if ! cmp -s "$tmp/$f" "$dst"; then
        mkdir -p "$(dirname "$dst")"
        cp "$tmp/$f" "$dst.tmp.$$" && mv -f "$dst.tmp.$$" "$dst"
        echo "   updated $dst"
    fi
done
