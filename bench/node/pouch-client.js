// A PouchDB device (in-memory adapter), driven by gocua-bench over stdio: one household per
// document, replicated with PouchDB.sync (both ways, one-off) to express-pouchdb.
'use strict';
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));
const MemPouch = PouchDB.defaults({ adapter: 'memory' });
const fs = require('fs');
const path = require('path');
const { loadHouseholds, canonical, hashRows, serveLines } = require('./common');

function dirBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

const dbs = new Map();
function db(name) {
  if (!dbs.has(name)) dbs.set(name, new MemPouch(name));
  return dbs.get(name);
}

function toDoc(h) {
  const { key, ...rest } = h;
  return Object.assign({ _id: 'household:' + key, type: 'household' }, rest);
}

async function hashOf(d) {
  const all = await d.allDocs({ include_docs: true });
  const rows = all.rows
    .filter((r) => !r.id.startsWith('_design'))
    .map((r) => { const { _rev, ...doc } = r.doc; return canonical(doc); });
  return { docs: rows.length, hash: hashRows(rows) };
}

serveLines({
  // Writes households into a local database, one document per household, as a volunteer would
  // (one write each).
  async register({ db: name, file, start = 0, count }) {
    const d = db(name);
    const hs = loadHouseholds(file).slice(start, start + count);
    for (const h of hs) await d.put(toDoc(h));
    return { written: hs.length };
  },
  // Bulk-loads households straight into a remote database (the hub's existing data; not measured).
  async seed_remote({ url, file, start = 0, count }) {
    const r = new PouchDB(url);
    const hs = loadHouseholds(file).slice(start, start + count);
    for (let i = 0; i < hs.length; i += 500) {
      await r.bulkDocs(hs.slice(i, i + 500).map(toDoc));
    }
    return { written: hs.length };
  },
  async sync({ db: name, url, retries = 0 }) {
    const d = db(name);
    const r = new PouchDB(url);
    let failures = 0;
    for (let i = 0; ; i++) {
      try {
        const res = await PouchDB.sync(d, r, {});
        return { pushed: res.push.docs_written, pulled: res.pull.docs_written, failures };
      } catch (e) {
        failures++;
        if (i >= retries) throw e;
      }
    }
  },
  // W2: a device's week of edits, each one field of a household's document (read, change,
  // write: a new revision).
  async edits({ db: name, list }) {
    const d = db(name);
    for (const { key, field, value } of list) {
      const doc = await d.get('household:' + key);
      if (field === 'phone') doc.members[0].phone = value;
      else if (field === 'notes') doc.notes = value;
      else if (field === 'house_number') doc.house_number = value;
      else throw new Error('unknown field ' + field);
      await d.put(doc);
    }
    return { applied: list.length };
  },
  // W2: for each edit that must survive, whether the winning revision shows it, only a
  // conflicting revision keeps it (a person must resolve the document to get it back), or it is
  // gone.
  async check_edits({ db: name, url, expected }) {
    const d = url ? new PouchDB(url) : db(name);
    let shown = 0, kept = 0, lost = 0;
    const field = (doc, f) => (f === 'phone' ? doc.members[0].phone : doc[f]);
    for (const e of expected) {
      const doc = await d.get('household:' + e.key, { conflicts: true });
      if (field(doc, e.field) === e.value) { shown++; continue; }
      let found = false;
      for (const rev of doc._conflicts || []) {
        if (field(await d.get(doc._id, { rev }), e.field) === e.value) found = true;
      }
      if (found) kept++; else lost++;
    }
    return { shown, kept, lost };
  },
  async hash({ db: name, url }) {
    return hashOf(url ? new PouchDB(url) : db(name));
  },
  // Documents with conflicting revisions: each one a person must resolve by hand.
  async conflicts({ db: name, url }) {
    const d = url ? new PouchDB(url) : db(name);
    const all = await d.allDocs({ include_docs: true, conflicts: true });
    return { conflicts: all.rows.filter((r) => r.doc && r.doc._conflicts && r.doc._conflicts.length).length };
  },
  // The device side of W7 on PouchDB's on-disk adapter (LevelDB, leveldown's prebuilt binary):
  // the pulled households are copied into it (not measured), then: open, first screen of 50
  // (the first 50 by id, with their documents), open one more.
  async screen({ db: name, dir }) {
    await PouchDB.replicate(db(name), new PouchDB(dir));
    const t0 = process.hrtime.bigint();
    const d = new PouchDB(dir);
    const info = await d.info();
    const t1 = process.hrtime.bigint();
    const page = await d.allDocs({ include_docs: true, limit: 50 });
    const t2 = process.hrtime.bigint();
    const last = await d.allDocs({ descending: true, limit: 1 });
    await d.get(last.rows[0].id);
    const t3 = process.hrtime.bigint();
    await d.close();
    const ms = (a, b) => Number(b - a) / 1e6;
    return {
      households: info.doc_count, screen: page.rows.length, adapter: info.adapter,
      open_ms: ms(t0, t1), list_ms: ms(t1, t2), one_ms: ms(t2, t3), bytes: dirBytes(dir),
    };
  },
  async size({ db: name }) {
    const all = await db(name).allDocs({ include_docs: true });
    return { json_bytes: Buffer.byteLength(JSON.stringify(all.rows.map((r) => r.doc))) };
  },
});
