#!/usr/bin/env bash
# On macOS with Xcode: builds the Rust core (crate gocua-ffi) for iOS devices and simulators,
# generates the Swift bindings, and assembles ios/build/GocuaCoreFFI.xcframework, which
# ios/GocuaKit/Package.swift then uses. Then: `cd ios && xcodegen && open Gocua.xcodeproj`.
# Needs: rustup targets aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios.
#
#   ios/build-xcframework.sh            # PROFILE=mobile: stripped, LTO (what ships, the default)
#   PROFILE=debug ios/build-xcframework.sh   # quicker, with debug info, for the simulator
#
# Written for macOS's own /bin/bash 3.2: no arrays (an empty "${a[@]}" fails under set -u there),
# no mapfile, no associative arrays, no ${x,,}.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = Darwin ] || { echo "build-xcframework.sh: macOS with Xcode only" >&2; exit 1; }
PROFILE=${PROFILE:-mobile}
case "$PROFILE" in
    debug | dev) PROFILE_FLAG="" DIR=debug ;;
    *) PROFILE_FLAG="--profile $PROFILE" DIR=$PROFILE ;;
esac
OUT=ios/build
GEN=target/bindings/swift
TARGET_DIR=${CARGO_TARGET_DIR:-target}
DEVICE=aarch64-apple-ios
SIMULATORS="aarch64-apple-ios-sim x86_64-apple-ios"

# The Swift bindings, generated from the host's debug library (.dylib on macOS): they are the
# same for every profile and target, and uniffi-bindgen reads them from the library's symbol
# table, which the stripped `mobile` library no longer has.
scripts/bindings.sh debug
for t in $DEVICE $SIMULATORS; do
    rustup target add "$t" >/dev/null
    echo "== cargo build -p gocua-ffi --lib --target $t ($PROFILE)"
    # shellcheck disable=SC2086
    cargo build -p gocua-ffi --lib --target "$t" $PROFILE_FLAG
    [ -f "$TARGET_DIR/$t/$DIR/libgocua_ffi.a" ] || { echo "missing $TARGET_DIR/$t/$DIR/libgocua_ffi.a" >&2; exit 1; }
done
rm -rf "$OUT" && mkdir -p "$OUT/headers" "$OUT/sim"
cp "$GEN/GocuaCoreFFI.h" "$OUT/headers/"
cp "$GEN/GocuaCoreFFI.modulemap" "$OUT/headers/module.modulemap"
# One fat simulator library (Apple silicon and Intel Macs): an XCFramework takes one library per
# platform, so both simulator architectures go into one file with lipo.
sim_libs=""
for t in $SIMULATORS; do sim_libs="$sim_libs $TARGET_DIR/$t/$DIR/libgocua_ffi.a"; done
# shellcheck disable=SC2086
lipo -create $sim_libs -output "$OUT/sim/libgocua_ffi.a"
xcodebuild -create-xcframework \
    -library "$TARGET_DIR/$DEVICE/$DIR/libgocua_ffi.a" -headers "$OUT/headers" \
    -library "$OUT/sim/libgocua_ffi.a" -headers "$OUT/headers" \
    -output "$OUT/GocuaCoreFFI.xcframework"
mkdir -p ios/GocuaKit/Sources/GocuaCore
cp "$GEN/GocuaCore.swift" ios/GocuaKit/Sources/GocuaCore/GocuaCore.swift
ls -l "$TARGET_DIR/$DEVICE/$DIR/libgocua_ffi.a" "$OUT/sim/libgocua_ffi.a"
echo "built $OUT/GocuaCoreFFI.xcframework ($PROFILE); next: cd ios && xcodegen && open Gocua.xcodeproj"
