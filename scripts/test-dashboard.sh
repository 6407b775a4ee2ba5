#!/usr/bin/env bash
# Browser tests of the coordinators' dashboard: Debian's Chromium driven by playwright-core against
# a hub on 127.0.0.1 filled by real devices through the sync protocol. Installs what it needs
# (idempotent): Debian's chromium with apt-get, playwright-core from npm into server/e2e/node_modules
# (git-ignored). Screenshots and downloads land in target/dashboard-e2e/. Last line: N passed, N failed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium >/dev/null
fi
if [ ! -f server/e2e/node_modules/playwright-core/package.json ]; then
    (cd server/e2e && npm install --no-audit --no-fund --silent)
fi
cargo build --quiet -p gocua-hub --example dash_fixture
out=target/dashboard-e2e
rm -rf "$out"
mkdir -p "$out"
node server/e2e/dashboard.test.mjs target/debug/examples/dash_fixture "$out"
