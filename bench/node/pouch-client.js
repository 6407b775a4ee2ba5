// A PouchDB device (in-memory adapter), driven by gocua-bench over stdio: one household per
// document, replicated with PouchDB.sync (both ways, one-off) to express-pouchdb.
'use strict';
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));
const MemPouch = PouchDB.defaults({ adapter: 'memory' });
const { loadHouseholds, canonical, hashRows, serveLines } = require('./common');

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
  // Edits one field of a household's document (read, change, write: a new revision).
  async edit({ db: name, key, field, value }) {
    const d = db(name);
    const doc = await d.get('household:' + key);
    if (field === 'phone') doc.members[0].phone = value;
    else if (field === 'notes') doc.notes = value;
    else if (field === 'house_number') doc.house_number = value;
    else {
      doc.checklist = doc.checklist.filter((c) => !(c.member === 0 && c.item === field));
      doc.checklist.push({ member: 0, item: field, status: value });
    }
    await d.put(doc);
    return {};
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
  // The device side of W7: open, first screen of 50, open one.
  async screen({ db: name }) {
    const d = db(name);
    const t0 = process.hrtime.bigint();
    const page = await d.allDocs({ include_docs: true, limit: 50 });
    const t1 = process.hrtime.bigint();
    await d.get(page.rows[0].id);
    const t2 = process.hrtime.bigint();
    return { list_ms: Number(t1 - t0) / 1e6, open_ms: Number(t2 - t1) / 1e6 };
  },
  async size({ db: name }) {
    const all = await db(name).allDocs({ include_docs: true });
    return { json_bytes: Buffer.byteLength(JSON.stringify(all.rows.map((r) => r.doc))) };
  },
});
