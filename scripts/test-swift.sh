#!/usr/bin/env bash
# The Swift bindings as a Swift package, tested with `swift test`: natively if `swift` is on the
# PATH, otherwise in a Debian trixie chroot with swiftlang (scripts/swift-chroot.sh, created once
# under target/swift-chroot, about 2.6 GB; needs root). The package (bindings/swift) is assembled in
# target/swift-package with the generated sources from target/bindings/swift.
# Ends with a plain line: `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
# One run at a time on this checkout (they share target/ build directories): a second one waits.
mkdir -p target
exec 8>"target/swift-test.lock"
flock 8
start=$(date +%s)

# --- library, bindings, fixture ------------------------------------------------------------------
scripts/bindings.sh
echo "== cargo build -p gocua-ffi --example hub_fixture"
cargo build --quiet -p gocua-ffi --example hub_fixture

# --- the package ---------------------------------------------------------------------------------
PKG=target/swift-package
GEN=target/bindings/swift
put() { # put SRC DST: copy only when the content changed, so that SwiftPM rebuilds only what did
    mkdir -p "$(dirname "$2")"
    cmp -s "$1" "$2" || cp "$1" "$2"
}
put bindings/swift/Package.swift "$PKG/Package.swift"
rm -rf "$PKG/Tests.new" && cp -r bindings/swift/Tests "$PKG/Tests.new"
while IFS= read -r f; do put "$PKG/Tests.new/$f" "$PKG/Tests/$f"; done < <(cd "$PKG/Tests.new" && find . -type f)
while IFS= read -r f; do [ -f "$PKG/Tests.new/$f" ] || rm -f "$PKG/Tests/$f"; done < <(cd "$PKG/Tests" && find . -type f)
rm -rf "$PKG/Tests.new"
put "$GEN/GocuaCore.swift" "$PKG/Sources/GocuaCore/GocuaCore.swift"
put "$GEN/GocuaCoreFFI.h" "$PKG/Sources/GocuaCoreFFI/GocuaCoreFFI.h"
put "$GEN/GocuaCoreFFI.modulemap" "$PKG/Sources/GocuaCoreFFI/module.modulemap"

# --- swift test ----------------------------------------------------------------------------------
log="$ROOT/target/swift-test.log"
set +e
if command -v swift >/dev/null; then
    echo "== swift test (native)"
    (cd "$PKG" && GOCUA_LIB_DIR="$ROOT/target/debug" GOCUA_HUB_FIXTURE="$ROOT/target/debug/examples/hub_fixture" \
        LD_LIBRARY_PATH="$ROOT/target/debug" swift test --scratch-path "$ROOT/target/swift-build-native") 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
else
    scripts/swift-chroot.sh setup
    echo "== swift test (Debian trixie chroot, target/swift-chroot)"
    scripts/swift-chroot.sh run sh -c 'cd /repo/target/swift-package &&
        GOCUA_LIB_DIR=/repo/target/debug GOCUA_HUB_FIXTURE=/repo/target/debug/examples/hub_fixture \
        LD_LIBRARY_PATH=/repo/target/debug swift test --scratch-path /repo/target/swift-build 2>&1' | tee "$log"
    rc=${PIPESTATUS[0]}
fi
set -e
passed=$(grep -cE "^Test Case '.*' passed \(" "$log" || true)
failed=$(grep -cE "^Test Case '.*' failed \(" "$log" || true)
echo "swift: $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
if [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
