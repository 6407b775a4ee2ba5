#!/usr/bin/env bash
# GocuaKit (ios/GocuaKit: the iOS app's pages over the core's screens) tested with `swift test`: natively
# if `swift` is on the PATH, otherwise in the Debian trixie chroot of scripts/swift-chroot.sh (the
# same one as scripts/test-swift.sh). The package is assembled in target/ios-package with the
# generated bindings (target/bindings/swift) and the hub fixture helper of the bindings' Swift tests
# (bindings/swift/Tests/GocuaCoreTests/Support.swift: a commune hub on 127.0.0.1).
# Ends with a plain line: `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
mkdir -p target
exec 8>"target/ios-test.lock"
flock 8
start=$(date +%s)

scripts/bindings.sh
echo "== cargo build -p gocua-ffi --example hub_fixture"
cargo build --quiet -p gocua-ffi --example hub_fixture

PKG=target/ios-package
GEN=target/bindings/swift
put() { mkdir -p "$(dirname "$2")"; cmp -s "$1" "$2" || cp "$1" "$2"; }
sync_dir() { # sync_dir SRC DST: copy changed files, delete vanished ones
    local src="$1" dst="$2" f
    mkdir -p "$dst"
    while IFS= read -r f; do put "$src/$f" "$dst/$f"; done < <(cd "$src" && find . -type f)
    while IFS= read -r f; do [ -f "$src/$f" ] || rm -f "$dst/$f"; done < <(cd "$dst" && find . -type f)
}
put ios/GocuaKit/Package.swift "$PKG/Package.swift"
sync_dir ios/GocuaKit/Sources/GocuaKit "$PKG/Sources/GocuaKit"
mkdir -p "$PKG/Tests/GocuaKitTests"
cp bindings/swift/Tests/GocuaCoreTests/Support.swift "$PKG/HubSupport.swift.new"
sync_dir ios/GocuaKit/Tests/GocuaKitTests "$PKG/Tests/GocuaKitTests"
put "$PKG/HubSupport.swift.new" "$PKG/Tests/GocuaKitTests/HubSupport.swift"
rm -f "$PKG/HubSupport.swift.new"
put "$GEN/GocuaCore.swift" "$PKG/Sources/GocuaCore/GocuaCore.swift"
put "$GEN/GocuaCoreFFI.h" "$PKG/Sources/GocuaCoreFFI/GocuaCoreFFI.h"
put "$GEN/GocuaCoreFFI.modulemap" "$PKG/Sources/GocuaCoreFFI/module.modulemap"

log="$ROOT/target/ios-test.log"
set +e
if command -v swift >/dev/null; then
    echo "== swift test GocuaKit (native)"
    (cd "$PKG" && GOCUA_LIB_DIR="$ROOT/target/debug" GOCUA_HUB_FIXTURE="$ROOT/target/debug/examples/hub_fixture" \
        LD_LIBRARY_PATH="$ROOT/target/debug" swift test --scratch-path "$ROOT/target/ios-build-native") 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
else
    scripts/swift-chroot.sh setup
    echo "== swift test GocuaKit (Debian trixie chroot, target/swift-chroot)"
    scripts/swift-chroot.sh run sh -c 'cd /repo/target/ios-package &&
        GOCUA_LIB_DIR=/repo/target/debug GOCUA_HUB_FIXTURE=/repo/target/debug/examples/hub_fixture \
        LD_LIBRARY_PATH=/repo/target/debug swift test --scratch-path /repo/target/ios-build 2>&1' | tee "$log"
    rc=${PIPESTATUS[0]}
fi
set -e
passed=$(grep -cE "^Test Case '.*' passed \(" "$log" || true)
failed=$(grep -cE "^Test Case '.*' failed \(" "$log" || true)
echo "ios: $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
if [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
