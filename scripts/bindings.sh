#!/usr/bin/env bash
# Builds gocua-ffi for the host and generates its Kotlin and Swift bindings into target/bindings/.
# The generated code is build output: never edited, never committed.
#   target/<profile>/libgocua_ffi.so (Linux) or .dylib (macOS)
#   target/bindings/kotlin/vn/gocua/core/gocua_ffi.kt
#   target/bindings/swift/{GocuaCore.swift, GocuaCoreFFI.h, GocuaCoreFFI.modulemap}
# Runs on Linux and macOS (bash 3.2). The profile is the first argument or $GOCUA_PROFILE (default
# `debug`; `release`, `mobile`...); the target directory is $CARGO_TARGET_DIR (default target/).
# The bindings are the same whichever profile built the library they are read from.
# A file is replaced (atomically) only when its content changed, so that a suite running at the
# same time never reads half a file and unchanged bindings are not recompiled.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${1:-${GOCUA_PROFILE:-debug}}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
OUT=target/bindings
case "$(uname -s)" in
    Darwin) LIBNAME=libgocua_ffi.dylib ;;
    MINGW* | MSYS* | CYGWIN*) LIBNAME=gocua_ffi.dll ;;
    *) LIBNAME=libgocua_ffi.so ;;
esac
# cargo's output folder of a profile: `dev` builds into debug/, every other profile into its name.
case "$PROFILE" in
    debug | dev) PROFILE_FLAG="" DIR=debug ;;
    *) PROFILE_FLAG="--profile $PROFILE" DIR=$PROFILE ;;
esac
LIB="$TARGET_DIR/$DIR/$LIBNAME"

# uniffi-bindgen is a debug build. With the debug profile both are built in one invocation (as
# the test scripts always did: the same features, so the warm build is reused); another profile
# builds gocua-ffi alone, without the bindgen's `cli` features of uniffi in the shipped library.
if [ -z "$PROFILE_FLAG" ]; then
    echo "== cargo build -p gocua-ffi -p uniffi-bindgen"
    cargo build --quiet -p gocua-ffi -p uniffi-bindgen
else
    echo "== cargo build -p gocua-ffi $PROFILE_FLAG; cargo build -p uniffi-bindgen"
    # shellcheck disable=SC2086
    cargo build --quiet -p gocua-ffi --lib $PROFILE_FLAG
    cargo build --quiet -p uniffi-bindgen
fi
[ -f "$LIB" ] || { echo "bindings.sh: $LIB missing after the build" >&2; exit 1; }
BINDGEN="$TARGET_DIR/debug/uniffi-bindgen"

mkdir -p "$OUT"
tmp=$(mktemp -d "$OUT/.gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "== generate Kotlin and Swift from $LIB into $OUT"
"$BINDGEN" generate "$LIB" --language kotlin --out-dir "$tmp/kotlin" --no-format >/dev/null
"$BINDGEN" generate "$LIB" --language swift --out-dir "$tmp/swift" --no-format >/dev/null
# uniffi-bindgen finds the interface in the library's symbol table (ELF .symtab): a stripped
# library (the `mobile` profile) yields no bindings. They are the same for every profile.
if [ ! -s "$tmp/kotlin/vn/gocua/core/gocua_ffi.kt" ] || [ ! -s "$tmp/swift/GocuaCore.swift" ]; then
    echo "bindings.sh: no bindings from $LIB (stripped?): generate them from the debug or release library" >&2
    exit 1
fi
(cd "$tmp" && find . -type f) | while IFS= read -r f; do
    f=${f#./}
    dst="$OUT/$f"
    if ! cmp -s "$tmp/$f" "$dst"; then
        mkdir -p "$(dirname "$dst")"
        cp "$tmp/$f" "$dst.tmp.$$" && mv -f "$dst.tmp.$$" "$dst"
        echo "   updated $dst"
    fi
done
