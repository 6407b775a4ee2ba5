// automerge-repo's sync server, as @automerge/automerge-repo-sync-server sets it up: a Repo with
// the WebSocket server adapter and file-system storage, announcing nothing (it answers what a
// client asks). Listens on 127.0.0.1 only; prints its port, then serves commands on stdin (seed
// the commune, content hashes) for gocua-bench.
import fs from 'fs';
import http from 'http';
import path from 'path';
import { WebSocketServer } from 'ws';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { flushReady, openRepo, registerAll, loadHouseholds, serveLines, hashIndex, fieldValues } from './am-common.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: am-server.mjs DATA_DIR [KEEPALIVE_MS]');
const server = http.createServer((_req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ server });
const repo = openRepo(dir, 'hub', false);
// The adapter's keep-alive: every interval it cuts a client that has not answered the last
// ping. Its default (5 s) cuts a device whose event loop is busy applying documents, or whose
// EDGE or flaky link delays the pong; gocua-bench passes the interval it runs (10 minutes), and
// without one the adapter's default applies.
const keepAlive = Number(process.argv[3]) || undefined;
repo.networkSubsystem.addNetworkAdapter(new WebSocketServerAdapter(wss, keepAlive));
let commune = null;

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
  serveLines({
    // The commune's existing households, written on the hub itself (not measured).
    async seed({ file, start = 0, count }) {
      if (!commune) commune = repo.create({ households: {} });
      const hs = loadHouseholds(file).slice(start, start + count);
      await registerAll(repo, commune, hs);
      await flushReady(repo);
      return { index: commune.url, written: hs.length };
    },
    // A copy of the hub's storage (flushed; without its storage id and sync states): W2's hub
    // starts from the commune as this one holds it.
    async snapshot({ to }) {
      await flushReady(repo);
      fs.cpSync(dir, to, {
        recursive: true,
        filter: (p) => !p.includes(path.sep + 'sync-state') && !p.endsWith(path.join('st', 'orage-adapter-id')),
      });
      return { index: commune && commune.url };
    },
    async hash({ index }) {
      return hashIndex(repo, index);
    },
    // W2: for each edit in the plan, whether the hub's document shows it, keeps it as a
    // concurrent value, or lost it.
    async check_edits({ index, expected }) {
      const idx = (await repo.find(index)).doc().households;
      let shown = 0, kept = 0, lost = 0;
      for (const e of expected) {
        const d = (await repo.find(idx[e.key])).doc();
        const v = fieldValues(d, e.field);
        if (v.shown === e.value) shown++;
        else if (v.others.includes(e.value)) kept++;
        else lost++;
      }
      return { shown, kept, lost };
    },
    async size() {
      return {};
    },
  });
});
// Bounded: the driver stops us; in any case we stop after two hours.
setTimeout(() => process.exit(0), 2 * 3600 * 1000).unref();
// stdout carries the bench's line protocol: automerge-repo's own console.log goes to stderr.
console.log = (...args) => console.error(...args);
// A DocHandle's wait that times out (a document a cut connection left half-fetched) rejects a
// promise nobody awaits; that is not the end of the process.
process.on('unhandledRejection', (e) => console.error('unhandled rejection:', e && e.message));
