#!/usr/bin/env bash
# The main job: a commune hub on embedded SQLite (no set-up), filled with a demo commune whose data
# arrived through the real sync protocol from several volunteer phones. Serves until stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${GOCUA_DEMO_DIR:-target/demo-hub}"
exec cargo run --quiet --release -p gocua-hub -- demo --data "$data" "$@"
