-- gocua hub on PostgreSQL, schema 1: the same tables as the SQLite store (server/src/store/sqlite/),
-- plus the hub-wide change counter `hub_seq` (docs/sync-protocol.md, "Several hub processes").
-- Applied once by `PgStore::open`, in a transaction, under an advisory lock.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- One row: the last sequence number given to a document or erasure write. Every writer locks
-- this row first and keeps it until it commits, so writes commit in sequence order.
CREATE TABLE hub_seq (id INT PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
INSERT INTO hub_seq (id, value) VALUES (1, 0);

CREATE TABLE coordinators (
    coordinator_id TEXT PRIMARY KEY, name TEXT NOT NULL, commune TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE areas (
    area_id TEXT PRIMARY KEY, name TEXT NOT NULL, province TEXT NOT NULL, commune TEXT NOT NULL,
    hamlets_json TEXT NOT NULL
);
CREATE TABLE hamlets (
    commune TEXT NOT NULL, hamlet_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (commune, hamlet_id)
);
CREATE TABLE pairing_codes (
    code_hash TEXT PRIMARY KEY, volunteer_id TEXT NOT NULL, area_id TEXT NOT NULL, coordinator_id TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, used_by TEXT
);
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, volunteer_id TEXT NOT NULL, area_id TEXT NOT NULL,
    enrolled_at TEXT NOT NULL, revoked_at TEXT, last_seen_at TEXT, last_success_at TEXT, pending_docs INTEGER,
    last_error TEXT
);
CREATE TABLE docs (
    doc_id TEXT PRIMARY KEY, commune TEXT NOT NULL, hamlet TEXT NOT NULL, seq BIGINT NOT NULL UNIQUE,
    heads BYTEA NOT NULL, bytes BYTEA NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
);
-- A commune's changes after a cursor: a range scan whatever the size of the province.
CREATE INDEX docs_by_commune_seq ON docs (commune, seq);
CREATE TABLE device_docs (
    device_id TEXT NOT NULL, doc_id TEXT NOT NULL, heads BYTEA NOT NULL, PRIMARY KEY (device_id, doc_id)
);
CREATE TABLE sessions (
    session_id BIGSERIAL PRIMARY KEY, device_id TEXT NOT NULL, volunteer_id TEXT NOT NULL,
    started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT,
    docs_up INTEGER NOT NULL DEFAULT 0, bytes_up BIGINT NOT NULL DEFAULT 0,
    docs_down INTEGER NOT NULL DEFAULT 0, bytes_down BIGINT NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0, pending_before INTEGER NOT NULL, pending_after INTEGER, error TEXT
);
CREATE INDEX sessions_by_device ON sessions (device_id, session_id);
CREATE TABLE session_sent (
    session_id BIGINT NOT NULL, doc_id TEXT NOT NULL, heads BYTEA NOT NULL, PRIMARY KEY (session_id, doc_id)
);
CREATE TABLE rejections (session_id BIGINT NOT NULL, doc_id TEXT NOT NULL, code TEXT NOT NULL);
CREATE INDEX rejections_by_doc ON rejections (doc_id);
CREATE TABLE doc_epochs (
    doc_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL, gone BOOLEAN NOT NULL,
    commune TEXT NOT NULL, hamlet TEXT NOT NULL, seq BIGINT NOT NULL UNIQUE, at TEXT NOT NULL
);
CREATE INDEX doc_epochs_by_commune_seq ON doc_epochs (commune, seq);
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
