// automerge-repo devices (file-system storage, one Automerge document per household), driven by
// gocua-bench over stdio. Each device is a Repo of its own; a sync connects it through the
// bench's proxy with the WebSocket client adapter, waits until it and the hub agree, and
// disconnects.
//
// When is a sync done? automerge-repo has no "done" signal. A device is done when, for every
// document it holds, the server's heads as the server last reported them in the sync protocol
// (the `theirHeads` of the sync state with the server, from a message received on this
// connection) equal the device's own heads, no document is still being fetched, and every
// household the index lists is held. Checked every 10 ms, bounded by a timeout. Then the device
// waits `settle_ms` (bytes still moving are counted), flushes its storage and disconnects.
// The check is incremental: only documents not yet seen in step, or with sync traffic since
// they were, are looked at again (a full pass confirms the end), so a device holding 10,000
// documents does not spend its event loop re-reading every document's heads every 10 ms.
import fs from 'fs';
import path from 'path';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import {
  A, flushReady, openRepo, registerAll, applyEdit, loadHouseholds, serveLines, hashIndex,
} from './am-common.mjs';

const base = process.argv[2];
if (!base) throw new Error('usage: am-client.mjs WORK_DIR');
// The WebSocket client adapter throws from an event handler when a connection is reset (the
// flaky link): that is a failed attempt, not the end of the device.
let resets = 0;
process.on('uncaughtException', (e) => {
  resets++;
  if (process.env.BENCH_DEBUG) process.stderr.write(`am-client: ${e && e.message}\n`);
});

const devices = new Map();

function device(name) {
  if (!devices.has(name)) {
    const dir = path.join(base, 'am-dev-' + name);
    const repo = openRepo(dir, 'device-' + name);
    const dev = { name, dir, repo, index: null, server: null, their: new Map(), dirty: new Set() };
    repo.synchronizer.on('sync-state', ({ peerId, documentId, syncState }) => {
      if (peerId === dev.server) {
        dev.their.set(documentId, syncState.theirHeads);
        dev.dirty.add(documentId);
      }
    });
    devices.set(name, dev);
  }
  return devices.get(name);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sameHeads(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((h) => s.has(h));
}

/**
 * Whether document `id` is where the server says it is. A handle can be "unavailable" for a
 * while: automerge-repo marks a requested document so when it has not arrived within 60 s (a
 * DocHandle's timeout; 3,000 documents asked for at once take longer on 3G) and makes it ready
 * when it arrives. That is "not yet", and the sync's own timeout bounds the wait.
 */
function inStep(dev, id, h) {
  if (!h) return false;
  return h.state === 'ready' && sameHeads(dev.their.get(id), A.getHeads(h.doc()));
}

/** How many documents the device holds that are not ready (for a timeout's message). */
function notReady(dev) {
  const n = { requesting: 0, unavailable: 0 };
  for (const h of Object.values(dev.repo.handles)) {
    if (h.state === 'unavailable') n.unavailable++;
    else if (h.state !== 'ready') n.requesting++;
  }
  return n;
}

/**
 * Whether every document the device holds is where the server says it is. Looks only at the
 * documents in `dev.dirty` (not yet in step, or with sync traffic since), dropping those in
 * step; when none is left, one full pass over every document confirms it.
 */
function synced(dev) {
  const handles = dev.repo.handles;
  for (const id of dev.dirty) {
    if (inStep(dev, id, handles[id])) dev.dirty.delete(id);
  }
  if (dev.dirty.size > 0) return false;
  for (const [id, h] of Object.entries(handles)) {
    if (!inStep(dev, id, h)) { dev.dirty.add(id); return false; }
  }
  return true;
}

// One sync: a session with a fresh peer id (as a new Repo would have: the hub keeps its sync state
// per peer id in memory and would not answer a returning peer whose state it thinks current),
// retried with a new session when the connection drops, up to `retries` times.
async function sync(dev, url, timeoutMs, settleMs, retries) {
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + timeoutMs;
  let failures = 0;
  let found = 0;
  const onPeer = ({ peerId }) => {
    dev.server = peerId;
    dev.their.clear();
    dev.dirty = new Set(Object.keys(dev.repo.handles));
  };
  const onGone = () => { dev.gone = true; };
  dev.repo.networkSubsystem.on('peer', onPeer);
  dev.repo.networkSubsystem.on('peer-disconnected', onGone);
  try {
    if (!dev.index) throw new Error('device has no index');
    for (let attempt = 0; ; attempt++) {
      dev.session = (dev.session || 0) + 1;
      dev.repo.networkSubsystem.peerId = `device-${dev.name}-${dev.session}`;
      dev.server = null;
      dev.gone = false;
      dev.their.clear();
      dev.dirty = new Set(Object.keys(dev.repo.handles));
      // No reconnection inside a session (a retry is a new session, below). The adapter's retry
      // timer runs every `retryInterval` ms until the socket opens, so it must not be 0.
      const adapter = new WebSocketClientAdapter(url.replace(/^http/, 'ws'), 3600 * 1000);
      dev.repo.networkSubsystem.addNetworkAdapter(adapter);
      const resets0 = resets;
      let done = false;
      try {
        const indexId = dev.index.slice('automerge:'.length);
        if (!dev.repo.handles[indexId]) dev.repo.find(dev.index).catch(() => null);
        dev.dirty.add(indexId);
        const connectBy = Date.now() + 30000;
        for (;;) {
          if (Date.now() > deadline) {
            const n = notReady(dev);
            throw new Error(`did not finish in ${timeoutMs} ms (${n.requesting} document(s) still being fetched, `
              + `${n.unavailable} unavailable, ${dev.dirty.size} not yet in step)`);
          }
          await sleep(10);
          if (dev.gone || resets !== resets0 || (!dev.server && Date.now() > connectBy)) break;
          if (!dev.server || !synced(dev)) continue;
          // Households the index lists that this device has never had: fetch them.
          const idx = (await dev.repo.find(dev.index)).doc().households;
          const fresh = Object.values(idx).filter((u) => !dev.repo.handles[u.slice('automerge:'.length)]);
          if (fresh.length === 0) { done = true; break; }
          found += fresh.length;
          for (const u of fresh) {
            dev.dirty.add(u.slice('automerge:'.length));
            dev.repo.find(u).catch(() => null);
          }
        }
        if (done) {
          const syncMs = Number(process.hrtime.bigint() - t0) / 1e6;
          await sleep(settleMs);
          await flushReady(dev.repo);
          return { sync_ms: syncMs, found, failures };
        }
      } finally {
        try { dev.repo.networkSubsystem.removeNetworkAdapter(adapter); } catch (_) { /* closed */ }
        // A reconnection the adapter scheduled when its socket closed must not happen.
        adapter.connect = () => {};
      }
      failures++;
      if (attempt >= retries) throw new Error(`connection lost ${failures} time(s)`);
    }
  } finally {
    dev.repo.networkSubsystem.off('peer', onPeer);
    dev.repo.networkSubsystem.off('peer-disconnected', onGone);
    dev.server = null;
  }
}

/** Copies a storage directory without its storage id and sync states. */
function copyStorage(from, to) {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (p) => !p.includes(path.sep + 'sync-state') && !p.endsWith(path.join('st', 'orage-adapter-id')),
  });
}

function dirBytes(dir) {
  let total = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else total += fs.statSync(p).size;
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return total;
}

serveLines({
  // Registers households offline, in the device's own index unless it joined a commune's.
  async register({ dev: name, file, start = 0, count }) {
    const dev = device(name);
    let index;
    if (dev.index) index = await dev.repo.find(dev.index);
    else { index = dev.repo.create({ households: {} }); dev.index = index.url; }
    const hs = loadHouseholds(file).slice(start, start + count);
    await registerAll(dev.repo, index, hs);
    await flushReady(dev.repo);
    return { index: dev.index, written: hs.length };
  },
  // The commune's index (handed to the device at enrolment); fetched at the first sync.
  async join({ dev: name, index }) {
    device(name).index = index;
    return {};
  },
  async sync({ dev: name, url, timeout_ms = 600000, settle_ms = 200, retries = 0 }) {
    return sync(device(name), url, timeout_ms, settle_ms, retries);
  },
  // W2: a device's week of edits, offline, one change each.
  async edits({ dev: name, list }) {
    const dev = device(name);
    const idx = (await dev.repo.find(dev.index)).doc().households;
    for (const e of list) applyEdit(await dev.repo.find(idx[e.key]), e.field, e.value);
    await flushReady(dev.repo);
    return { applied: list.length };
  },
  // A copy of a device's storage (flushed), for W2's setup: without its storage id and sync
  // states, so a device started from it is a new device to the hub.
  async snapshot({ dev: name, to }) {
    const dev = device(name);
    await flushReady(dev.repo);
    copyStorage(dev.dir, to);
    return { index: dev.index };
  },
  // W2 setup (not measured): a device holding what a device that pulled the commune from the
  // hub holds (a `snapshot`), as if it had pulled it itself (the copy has no storage id and no
  // sync states, so the hub sees a new device; every document loaded gets a fresh actor), then
  // every household the index lists loaded, as the app must hold a document for automerge-repo
  // to sync it.
  async clone({ from_dir: from, index, dev: name }) {
    const dev = device(name);
    copyStorage(from, dev.dir);
    dev.index = index;
    const idx = (await dev.repo.find(dev.index)).doc().households;
    await Promise.all(Object.values(idx).map((u) => dev.repo.find(u)));
    return { households: Object.keys(idx).length };
  },
  async flush({ dev: name }) {
    await flushReady(device(name).repo);
    return {};
  },
  async hash({ dev: name }) {
    const dev = device(name);
    return Object.assign({ index: dev.index }, await hashIndex(dev.repo, dev.index));
  },
  async size({ dev: name }) {
    const dev = device(name);
    await flushReady(dev.repo);
    return { bytes: dirBytes(dev.dir) };
  },
  // W7 on the device: a fresh Repo on the device's storage (as after the app starts): open (the
  // index), first screen of 50 (the first 50 households the index lists, each loaded), open one
  // more household not yet loaded.
  async screen({ dev: name }) {
    const dev = device(name);
    await flushReady(dev.repo);
    const t0 = process.hrtime.bigint();
    const repo = openRepo(dev.dir, 'device-' + name + '-w7');
    const idx = (await repo.find(dev.index)).doc().households;
    const urls = Object.values(idx);
    const t1 = process.hrtime.bigint();
    const page = await Promise.all(urls.slice(0, 50).map((u) => repo.find(u)));
    const rows = page.map((h) => { const d = h.doc(); return [d.members[d.head || 0].full_name, d.house_number]; });
    const t2 = process.hrtime.bigint();
    const one = (await repo.find(urls[urls.length - 1])).doc();
    const t3 = process.hrtime.bigint();
    const ms = (a, b) => Number(b - a) / 1e6;
    return {
      households: urls.length, screen: rows.length, one: one.key,
      open_ms: ms(t0, t1), list_ms: ms(t1, t2), one_ms: ms(t2, t3),
    };
  },
});
// stdout carries the bench's line protocol: automerge-repo's own console.log goes to stderr.
console.log = (...args) => console.error(...args);
// A DocHandle's wait that times out (a document a cut connection left half-fetched) rejects a
// promise nobody awaits; that is not the end of the process.
process.on('unhandledRejection', (e) => console.error('unhandled rejection:', e && e.message));
