#!/usr/bin/env bash
# Tools to type-check the Android app on Linux (see ../shared/docs/TOOLCHAINS.md), installed once:
#   target/tools/android/android.jar   API 23, from Debian bullseye's libandroid-23-java, fetched with
#                                      a private apt configuration (the host's sources are untouched)
#   aapt                               Debian's `aapt` package, on the host
# Prints the path of android.jar on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
DIR="$ROOT/target/tools/android"
JAR="$DIR/android.jar"
mkdir -p "$DIR"
exec 7>"$DIR/.lock"
flock 7

if [ ! -s "$JAR" ]; then
    echo "== android.jar (API 23) from Debian bullseye's libandroid-23-java" >&2
    APT="$DIR/apt"
    rm -rf "$APT" && mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" "$APT/pkg"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-bullseye-stable.gpg] http://deb.debian.org/debian bullseye main" >"$APT/sources.list"
    opts=(-o Dir::Etc::SourceList="$APT/sources.list" -o Dir::Etc::SourceParts="$APT/parts"
        -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache" -o APT::Get::List-Cleanup=0
        -o Debug::NoLocking=1)
    apt-get "${opts[@]}" update >"$APT/update.log" 2>&1 || { tail -5 "$APT/update.log" >&2; exit 1; }
    (cd "$APT/pkg" && apt-get "${opts[@]}" download libandroid-23-java >"$APT/download.log" 2>&1) ||
        { tail -5 "$APT/download.log" >&2; exit 1; }
    dpkg -x "$APT"/pkg/libandroid-23-java_*.deb "$APT/x"
    found=$(find "$APT/x" -name android.jar | head -1)
    [ -n "$found" ] || { echo "android.jar not in libandroid-23-java" >&2; exit 1; }
    cp -L "$found" "$JAR.tmp" && mv "$JAR.tmp" "$JAR"
    rm -rf "$APT"
fi
if ! command -v aapt >/dev/null; then
    echo "== apt-get install aapt" >&2
    apt-get install -y --no-install-recommends aapt >/dev/null 2>&1 ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends aapt >/dev/null; }
fi
echo "$JAR"
