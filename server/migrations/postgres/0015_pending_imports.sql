-- A commune's list checked in the dashboard and waiting for the coordinator's "import" (issue
-- 17). The file is kept between the check and the import, so that any hub process can do the
-- import (no sticky sessions), and re-checked then. Deleted when imported, and after an hour.
CREATE TABLE pending_imports (
    token_hash TEXT PRIMARY KEY, coordinator_id TEXT NOT NULL, created_at TEXT NOT NULL, file BYTEA NOT NULL
);
