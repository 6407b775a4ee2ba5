#!/usr/bin/env bash
# Every test of the project, as CI runs it: formatting, lints, the whole workspace's tests, then the
# Kotlin (JVM) and Swift suites of the phone bindings (they install their own tools, see those scripts).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
    echo "cargo not found: install Rust (rustup) first" >&2
    exit 1
fi

# A run from a fresh clone builds once and never rebuilds: incremental caches (2.3 GB) and full
# debug info in ~60 test binaries only fill the disk, where the Swift chroot needs 3.3 GB more
# (CI once ran out of space there). Line tables keep panics' backtraces readable. The same
# settings reach every cargo call below, so nothing is built twice.
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=line-tables-only
free_gb=$(df -Pk . | awk 'NR==2 {print int($4 / 1048576)}')
echo "== $free_gb GB free on this disk (a fresh run needs about 12 GB)"
if [ "$free_gb" -lt 12 ]; then
    echo "warning: less than 12 GB free; the build or the Swift chroot may run out of space" >&2
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== cargo test (the hub's storage and sync tests on SQLite and on a private PostgreSQL, scripts/with-postgres.sh)"
scripts/with-postgres.sh cargo test --workspace
echo "== dashboard in headless Chromium (hub on SQLite, then on PostgreSQL)"
scripts/test-dashboard.sh
scripts/with-postgres.sh sh -c 'GOCUA_DASH_E2E_POSTGRES_URL="$GOCUA_TEST_POSTGRES_URL" scripts/test-dashboard.sh'
echo "== Kotlin bindings on the JVM"
scripts/test-kotlin.sh
echo "== Swift bindings"
scripts/test-swift.sh
echo "== Android app: Kotlin and resources against android.jar (API 23), JVM tests of the shell"
scripts/test-android.sh
echo "== iOS GocuaKit: swift test through a whole visit"
scripts/test-ios.sh
