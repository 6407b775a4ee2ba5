-- Sealed bundles (issue 19, docs/sync-protocol.md "Sealed bundles"): each device's public bundle
-- keys (128 hex digits), and every bundle delivered to the hub, applied or refused: the sync
-- report lists them, a bundle applied once is refused when it comes again, and the sealed answer
-- (readable by its phone only) waits to be downloaded from the dashboard.
ALTER TABLE devices ADD COLUMN bundle_keys TEXT;
CREATE TABLE bundles_received (
    receipt_id BIGSERIAL PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    commune TEXT NOT NULL,
    device_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    via TEXT NOT NULL,
    outcome TEXT NOT NULL,
    session_id BIGINT,
    households INTEGER NOT NULL DEFAULT 0,
    answer BYTEA
);
CREATE UNIQUE INDEX bundles_applied_once ON bundles_received (bundle_id) WHERE outcome = 'applied';
CREATE INDEX bundles_received_at ON bundles_received (commune, received_at);
