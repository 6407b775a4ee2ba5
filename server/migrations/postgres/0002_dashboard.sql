-- gocua hub on PostgreSQL, schema 2: the coordinators' dashboard (issue 9), the same tables as the
-- SQLite store's (server/src/store/sqlite/dashboard.rs and index.rs).
--
-- The dashboard's own tables: passwords, web sessions, settings, its audit log, dismissed
-- data-quality findings.
CREATE TABLE dash_passwords (coordinator_id TEXT PRIMARY KEY, hash TEXT NOT NULL);
CREATE TABLE dash_sessions (
    token_hash TEXT PRIMARY KEY, coordinator_id TEXT NOT NULL, csrf TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL
);
CREATE INDEX dash_sessions_expiry ON dash_sessions (expires_at);
CREATE INDEX dash_sessions_coordinator ON dash_sessions (coordinator_id);
CREATE TABLE dash_settings (coordinator_id TEXT PRIMARY KEY, stale_hours INTEGER NOT NULL);
CREATE TABLE dash_audit (
    id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, coordinator_id TEXT NOT NULL, commune TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL
);
CREATE INDEX dash_audit_commune ON dash_audit (commune, id);
CREATE TABLE dash_dismissed (
    commune TEXT NOT NULL, key TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (commune, key)
);

-- Query tables derived from the household documents (server/src/projection.rs, `project`):
-- rewritten in the same transaction as each document write (`commit_push`, `write_hub_doc`),
-- deleted with the document at erasure (every table with a `doc_id` column), and rebuilt from
-- the documents when the index version in `meta` ('dash_index_version') is not the hub's.
-- Text compared and sorted byte-wise (COLLATE "C"), as SQLite does, whatever the database's
-- locale: the same order on both stores.
CREATE TABLE dash_households (
    doc_id TEXT COLLATE "C" PRIMARY KEY, commune TEXT COLLATE "C" NOT NULL, hamlet TEXT COLLATE "C" NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, head_name TEXT, head_fold TEXT COLLATE "C",
    address TEXT NOT NULL, plus_code TEXT COLLATE "C", members INTEGER NOT NULL, five_skills BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL, conflicts INTEGER NOT NULL, warnings INTEGER NOT NULL,
    search TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL, created_day TEXT COLLATE "C" NOT NULL
);
CREATE INDEX dash_households_area ON dash_households (commune, hamlet, head_fold NULLS FIRST, doc_id);
CREATE INDEX dash_households_progress ON dash_households (commune, active, hamlet, five_skills, members);
CREATE INDEX dash_households_days ON dash_households (commune, active, created_day);
CREATE INDEX dash_households_plus ON dash_households (commune, plus_code) WHERE plus_code IS NOT NULL;
CREATE INDEX dash_households_conflicts ON dash_households (commune, updated_at) WHERE conflicts > 0;
CREATE TABLE dash_members (
    doc_id TEXT COLLATE "C" NOT NULL, member_id TEXT COLLATE "C" NOT NULL, commune TEXT COLLATE "C" NOT NULL,
    hamlet TEXT COLLATE "C" NOT NULL, full_name TEXT NOT NULL, birth TEXT, gender TEXT, relation TEXT NOT NULL,
    id_number TEXT COLLATE "C", phone TEXT COLLATE "C", PRIMARY KEY (doc_id, member_id)
);
CREATE INDEX dash_members_commune ON dash_members (commune, hamlet, doc_id, member_id);
CREATE INDEX dash_members_id ON dash_members (commune, id_number) WHERE id_number IS NOT NULL;
CREATE INDEX dash_members_phone ON dash_members (commune, phone) WHERE phone IS NOT NULL;
CREATE TABLE dash_checklist (
    doc_id TEXT COLLATE "C" NOT NULL, member_id TEXT COLLATE "C" NOT NULL, item TEXT COLLATE "C" NOT NULL,
    commune TEXT COLLATE "C" NOT NULL, hamlet TEXT COLLATE "C" NOT NULL, status TEXT NOT NULL,
    achieved BOOLEAN NOT NULL, set_at TEXT NOT NULL, active BOOLEAN NOT NULL, day TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (doc_id, member_id, item)
);
CREATE INDEX dash_checklist_items ON dash_checklist (commune, achieved, active, item);
CREATE INDEX dash_checklist_days ON dash_checklist (commune, achieved, active, day);
CREATE TABLE dash_visits (
    doc_id TEXT COLLATE "C" NOT NULL, visit_id TEXT COLLATE "C" NOT NULL, commune TEXT COLLATE "C" NOT NULL,
    date TEXT COLLATE "C" NOT NULL, PRIMARY KEY (doc_id, visit_id)
);
CREATE INDEX dash_visits_date ON dash_visits (commune, date);
CREATE TABLE dash_warnings (
    doc_id TEXT COLLATE "C" NOT NULL, commune TEXT COLLATE "C" NOT NULL, member_id TEXT COLLATE "C",
    field TEXT COLLATE "C" NOT NULL, code TEXT NOT NULL, message_vi TEXT NOT NULL, message_en TEXT NOT NULL
);
CREATE INDEX dash_warnings_doc ON dash_warnings (doc_id);
CREATE INDEX dash_warnings_commune ON dash_warnings (commune, doc_id, member_id NULLS FIRST, field);
