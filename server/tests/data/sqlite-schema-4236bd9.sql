-- The schema the hub created at commit 4236bd9, before its SQLite schema had a version: the
-- SCHEMA of server/src/sqlite.rs, DASH_SCHEMA of server/src/dashboard/data.rs and SCHEMA of
-- server/src/dashboard/index.rs, in the order that code ran them. A test opens a database made
-- with it (server/src/store/sqlite/mod.rs).
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS coordinators (
    coordinator_id TEXT PRIMARY KEY, name TEXT NOT NULL, commune TEXT NOT NULL, created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS areas (
    area_id TEXT PRIMARY KEY, name TEXT NOT NULL, province TEXT NOT NULL, commune TEXT NOT NULL, hamlets_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hamlets (
    commune TEXT NOT NULL, hamlet_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (commune, hamlet_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairing_codes (
    code_hash TEXT PRIMARY KEY, volunteer_id TEXT NOT NULL, area_id TEXT NOT NULL, coordinator_id TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, used_by TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, volunteer_id TEXT NOT NULL, area_id TEXT NOT NULL,
    enrolled_at TEXT NOT NULL, revoked_at TEXT, last_seen_at TEXT, last_success_at TEXT, pending_docs INTEGER, last_error TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS docs (
    doc_id TEXT PRIMARY KEY, commune TEXT NOT NULL, hamlet TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE,
    heads BLOB NOT NULL, bytes BLOB NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS docs_by_area ON docs (commune, hamlet, seq);
CREATE INDEX IF NOT EXISTS docs_by_seq ON docs (seq);
CREATE TABLE IF NOT EXISTS device_docs (
    device_id TEXT NOT NULL, doc_id TEXT NOT NULL, heads BLOB NOT NULL, PRIMARY KEY (device_id, doc_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sessions (
    session_id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, volunteer_id TEXT NOT NULL,
    started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT,
    docs_up INTEGER NOT NULL DEFAULT 0, bytes_up INTEGER NOT NULL DEFAULT 0,
    docs_down INTEGER NOT NULL DEFAULT 0, bytes_down INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0, pending_before INTEGER NOT NULL, pending_after INTEGER, error TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_device ON sessions (device_id, session_id);
CREATE TABLE IF NOT EXISTS session_sent (
    session_id INTEGER NOT NULL, doc_id TEXT NOT NULL, heads BLOB NOT NULL, PRIMARY KEY (session_id, doc_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rejections (
    session_id INTEGER NOT NULL, doc_id TEXT NOT NULL, code TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_epochs (
    doc_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL, gone INTEGER NOT NULL,
    commune TEXT NOT NULL, hamlet TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE, at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_epochs_by_area ON doc_epochs (commune, hamlet, seq);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS dash_passwords (coordinator_id TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dash_sessions (
    token_hash TEXT PRIMARY KEY, coordinator_id TEXT NOT NULL, csrf TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dash_settings (coordinator_id TEXT PRIMARY KEY, stale_hours INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dash_audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, coordinator_id TEXT NOT NULL, commune TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dash_audit_commune ON dash_audit (commune, id);
CREATE TABLE IF NOT EXISTS dash_dismissed (commune TEXT NOT NULL, key TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (commune, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dash_households (
    doc_id TEXT PRIMARY KEY, commune TEXT NOT NULL, hamlet TEXT NOT NULL, created_at TEXT NOT NULL,
    created_by TEXT NOT NULL, head_name TEXT, head_fold TEXT, address TEXT NOT NULL, plus_code TEXT,
    members INTEGER NOT NULL, five_skills INTEGER NOT NULL, active INTEGER NOT NULL,
    conflicts INTEGER NOT NULL, warnings INTEGER NOT NULL, search TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_day TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_households_area ON dash_households (commune, hamlet);
CREATE INDEX IF NOT EXISTS dash_households_progress ON dash_households (commune, active, hamlet, five_skills, members);
CREATE INDEX IF NOT EXISTS dash_households_days ON dash_households (commune, active, created_day);
CREATE INDEX IF NOT EXISTS dash_households_plus ON dash_households (commune, plus_code) WHERE plus_code IS NOT NULL;
CREATE TABLE IF NOT EXISTS dash_members (
    doc_id TEXT NOT NULL, member_id TEXT NOT NULL, commune TEXT NOT NULL, hamlet TEXT NOT NULL,
    full_name TEXT NOT NULL, birth TEXT, gender TEXT, relation TEXT NOT NULL,
    id_number TEXT, phone TEXT, PRIMARY KEY (doc_id, member_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_members_id ON dash_members (commune, id_number) WHERE id_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS dash_members_phone ON dash_members (commune, phone) WHERE phone IS NOT NULL;
CREATE TABLE IF NOT EXISTS dash_checklist (
    doc_id TEXT NOT NULL, member_id TEXT NOT NULL, item TEXT NOT NULL, commune TEXT NOT NULL,
    hamlet TEXT NOT NULL, status TEXT NOT NULL, achieved INTEGER NOT NULL, set_at TEXT NOT NULL,
    active INTEGER NOT NULL, day TEXT NOT NULL,
    PRIMARY KEY (doc_id, member_id, item)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_checklist_items ON dash_checklist (commune, achieved, active, item);
CREATE INDEX IF NOT EXISTS dash_checklist_days ON dash_checklist (commune, achieved, active, day);
CREATE TABLE IF NOT EXISTS dash_visits (
    doc_id TEXT NOT NULL, visit_id TEXT NOT NULL, commune TEXT NOT NULL, date TEXT NOT NULL,
    PRIMARY KEY (doc_id, visit_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_visits_date ON dash_visits (commune, date);
CREATE TABLE IF NOT EXISTS dash_warnings (
    doc_id TEXT NOT NULL, commune TEXT NOT NULL, member_id TEXT, field TEXT NOT NULL, code TEXT NOT NULL,
    message_vi TEXT NOT NULL, message_en TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dash_warnings_doc ON dash_warnings (doc_id);
CREATE INDEX IF NOT EXISTS dash_warnings_commune ON dash_warnings (commune);
