#!/usr/bin/env bash
# Issue 7: gocua side by side with the peers, on shaped links. One command:
#   bench/run.sh            # W1, W2, W3 (3,000), W4, W5, W6: gocua, PouchDB, automerge-repo, zstd-JSON floor
#   bench/run.sh --big      # also W3 with 10,000 households and W7 (the report's run)
# Installs the Node peers into bench/node/node_modules (git-ignored) from the committed lockfile,
# builds the hub and the driver once (release), runs everything on 127.0.0.1 and writes
# docs/BENCHMARKS.md's section "## Side by side with the peers (issue 7)" and bench/results/.
# Not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# `npm install` rather than `npm ci`: npm 11 leaves optional platform packages of cbor-extract out
# of the lock file and `npm ci` then refuses it; install still follows the lock file.
(cd bench/node && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
cargo build --release -p gocua-bench -p gocua-hub
mkdir -p bench/results
{
  echo "rustc $(rustc --version | cut -d' ' -f2)"
  echo "node $(node --version)"
  (cd bench/node && node -e '
    for (const p of ["pouchdb", "express-pouchdb", "express", "pouchdb-adapter-memory", "leveldown", "@automerge/automerge", "@automerge/automerge-repo", "@automerge/automerge-repo-network-websocket", "@automerge/automerge-repo-storage-nodefs"]) {
      const f = "node_modules/" + p + "/package.json";
      console.log(p + " " + JSON.parse(require("fs").readFileSync(f, "utf8")).version);
    }')
  echo "gocua $(git rev-parse --short HEAD)"
} > bench/results/.versions
exec timeout 3600 target/release/gocua-bench --root "$root" --hub-bin target/release/gocua-hub "$@"
