// The CouchDB-compatible server of the Community Health Toolkit's stack: express-pouchdb on
// express 4, PouchDB's in-memory adapter (leveldown's native build is not available here).
// Listens on 127.0.0.1 only; prints its port.
'use strict';
const express = require('express');
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));
const MemPouch = PouchDB.defaults({ adapter: 'memory' });

const app = express();
app.use('/', require('express-pouchdb')(MemPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: '/dev/null' }));
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
// Bounded: the driver stops us; in any case we stop after two hours.
setTimeout(() => process.exit(0), 2 * 3600 * 1000).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
