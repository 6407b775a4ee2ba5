// Shared by the automerge-repo peer: one Automerge document per household (like gocua), an index
// document per commune (household key -> document URL) through which a device finds households
// it has never had, the registration steps and edits, content hashes.
import { createRequire } from 'module';
import { next as A } from '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';

const require = createRequire(import.meta.url);
export const { loadHouseholds, canonical, hashRows, serveLines } = require('./common.js');

/** A repo on the local file system; no network until one is added. */
export function openRepo(dir, peerId, share = true) {
  return new Repo({
    storage: new NodeFSStorageAdapter(dir),
    network: [],
    peerId,
    // The hub (as automerge-repo-sync-server does) answers what is asked and announces nothing.
    sharePolicy: async () => share,
  });
}

/**
 * Registers one generated household as a volunteer would, in the same steps as gocua's device:
 * the household, each member, the head, each checklist item (one change each); then its entry in
 * the index.
 */
export function registerHousehold(repo, index, h) {
  const handle = repo.create({
    type: 'household',
    key: h.key,
    hamlet: h.hamlet,
    street: h.street,
    alley: h.alley,
    house_number: h.house_number,
    lat: h.lat,
    lon: h.lon,
    members: [],
    checklist: [],
  });
  for (const m of h.members) handle.change((d) => { d.members.push({ ...m }); });
  handle.change((d) => { d.head = 0; });
  for (const c of h.checklist) handle.change((d) => { d.checklist.push({ ...c }); });
  index.change((d) => { d.households[h.key] = handle.url; });
  return handle;
}

/**
 * Registers households one after another (`registerHousehold`), writing each hundred to storage
 * and letting the event loop run between hundreds, as an app does. Without the pauses, thousands
 * of registrations in one synchronous loop got slower and slower (the last 500 of 2,500 took
 * 83 s instead of 15 s) and left every write to the end.
 */
export async function registerAll(repo, index, hs) {
  let batch = [];
  for (const h of hs) {
    batch.push(registerHousehold(repo, index, h).documentId);
    if (batch.length === 100) {
      await repo.flush(batch);
      batch = [];
      await new Promise((r) => setImmediate(r));
    }
  }
  await repo.flush(batch);
}

/** The fields a W2 edit touches (the same as PouchDB's and gocua's). */
export function applyEdit(handle, field, value) {
  handle.change((d) => {
    if (field === 'phone') d.members[0].phone = value;
    else if (field === 'notes') d.notes = value;
    else if (field === 'house_number') d.house_number = value;
    else {
      const c = d.checklist.find((c) => c.member === 0 && c.item === field);
      if (c) c.status = value;
      else d.checklist.push({ member: 0, item: field, status: value });
    }
  });
}

/** The value an edit's field shows now, and the concurrent values Automerge keeps beside it. */
export function fieldValues(doc, field) {
  let obj = doc;
  let key = field;
  if (field === 'phone') { obj = doc.members[0]; key = 'phone'; }
  else if (field !== 'notes' && field !== 'house_number') {
    const c = doc.checklist.find((c) => c.member === 0 && c.item === field);
    return { shown: c ? c.status : undefined, others: [] };
  }
  const conflicts = A.getConflicts(obj, key) || {};
  return { shown: obj[key], others: Object.values(conflicts).filter((v) => v !== obj[key]) };
}

/**
 * Writes every ready document to storage. `Repo.flush()` calls `doc()` on every handle and throws
 * on one still being fetched (a connection cut mid-request leaves such handles).
 */
export function flushReady(repo) {
  return repo.flush(Object.values(repo.handles).filter((h) => h.isReady()).map((h) => h.documentId));
}

/** Canonical rows of every household an index lists (loaded through `repo`). */
export async function hashIndex(repo, indexUrl) {
  const index = await repo.find(indexUrl);
  const urls = Object.values(index.doc().households);
  const docs = await Promise.all(urls.map((u) => repo.find(u)));
  const rows = docs.map((h) => canonical(JSON.parse(JSON.stringify(h.doc()))));
  return { docs: rows.length, hash: hashRows(rows) };
}

export { A };
