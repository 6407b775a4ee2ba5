// Shared by the Node peers: households as documents, content hashes, a line protocol on stdio.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const readline = require('readline');

/** The generated households of a file (written by gocua-bench), as plain objects. */
function loadHouseholds(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Canonical JSON: keys sorted, so every replica gives the same text. */
function canonical(v) {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') {
    return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

/** sha256 over the sorted canonical rows, first 8 bytes in hex (as the Rust side). */
function hashRows(rows) {
  rows.sort();
  const h = crypto.createHash('sha256');
  for (const r of rows) { h.update(r); h.update('\n'); }
  return h.digest('hex').slice(0, 16);
}

/** Serves `handlers[op](msg)` for each JSON line on stdin, answers one JSON line each. */
function serveLines(handlers) {
  const rl = readline.createInterface({ input: process.stdin });
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    chain = chain.then(async () => {
      let out;
      try {
        const msg = JSON.parse(line);
        const t0 = process.hrtime.bigint();
        const res = await handlers[msg.op](msg);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        out = Object.assign({ ok: true, ms }, res || {});
      } catch (e) {
        out = { ok: false, error: String(e && e.stack || e) };
      }
      process.stdout.write(JSON.stringify(out) + '\n');
    });
  });
  rl.on('close', () => chain.then(() => process.exit(0)));
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = { loadHouseholds, canonical, hashRows, serveLines, rng };
