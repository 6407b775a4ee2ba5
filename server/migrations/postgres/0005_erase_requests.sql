-- Erasure requests filed by devices for a coordinator's decision (docs/SECURITY.md, "Erasure
-- requests"). The column is `household`, not `doc_id`: an erasure deletes every row of the
-- document's id, and the decision must outlive it. Ids and codes only, never personal data.
CREATE TABLE erase_requests (
    request_id BIGSERIAL PRIMARY KEY,
    household TEXT NOT NULL,
    member TEXT NOT NULL,                -- '' for the whole household
    commune TEXT NOT NULL,
    hamlet TEXT NOT NULL,
    device_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT 'pending',  -- pending | approved | refused
    decided_at TEXT,
    decided_by TEXT,
    refusal_told BOOLEAN NOT NULL DEFAULT FALSE,   -- the device was told of the refusal
    UNIQUE (household, member, device_id)
);
CREATE INDEX erase_requests_by_commune ON erase_requests (commune, decision);
