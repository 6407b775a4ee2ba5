-- How many households a hamlet is expected to have (issue 17), typed by a commune coordinator
-- from the residence register or an earlier survey: what makes "registered / expected" and
-- tells which hamlets are behind.
CREATE TABLE IF NOT EXISTS hamlet_targets (
    commune TEXT NOT NULL, hamlet_id TEXT NOT NULL, expected_households INTEGER NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    PRIMARY KEY (commune, hamlet_id)
);
