#!/usr/bin/env bash
# On macOS with Xcode: builds the Rust core (crate gocua-ffi) for iOS devices and simulators,
# generates the Swift bindings, and assembles ios/build/GocuaCoreFFI.xcframework, which
# ios/GocuaKit/Package.swift then uses. Then: `cd ios && xcodegen && open Gocua.xcodeproj`.
# Needs: rustup targets aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = Darwin ] || { echo "build-xcframework.sh: macOS with Xcode only" >&2; exit 1; }
PROFILE=${PROFILE:-debug}   # PROFILE=release for a store build
flag=(); [ "$PROFILE" = release ] && flag=(--release)
OUT=ios/build
GEN=target/bindings/swift

scripts/bindings.sh   # host library + generated Swift (the same bindings fit the iOS library)
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
    rustup target add "$t" >/dev/null
    cargo build -p gocua-ffi --lib --target "$t" "${flag[@]}"
done
rm -rf "$OUT" && mkdir -p "$OUT/headers" "$OUT/sim"
cp "$GEN/GocuaCoreFFI.h" "$OUT/headers/"
cp "$GEN/GocuaCoreFFI.modulemap" "$OUT/headers/module.modulemap"
lipo -create "target/aarch64-apple-ios-sim/$PROFILE/libgocua_ffi.a" "target/x86_64-apple-ios/$PROFILE/libgocua_ffi.a" \
    -output "$OUT/sim/libgocua_ffi.a"
xcodebuild -create-xcframework \
    -library "target/aarch64-apple-ios/$PROFILE/libgocua_ffi.a" -headers "$OUT/headers" \
    -library "$OUT/sim/libgocua_ffi.a" -headers "$OUT/headers" \
    -output "$OUT/GocuaCoreFFI.xcframework"
mkdir -p ios/GocuaKit/Sources/GocuaCore
cp "$GEN/GocuaCore.swift" ios/GocuaKit/Sources/GocuaCore/GocuaCore.swift
echo "built $OUT/GocuaCoreFFI.xcframework; next: cd ios && xcodegen && open Gocua.xcodeproj"
