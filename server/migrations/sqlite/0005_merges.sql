-- Households merged by a coordinator, for undoing a merge no phone has received yet: the heads
-- of both documents before the merge (no personal data: the documents' history holds it) and
-- the sequence numbers the merge wrote.
CREATE TABLE merges (
    merge_id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune TEXT NOT NULL,
    keep_id TEXT NOT NULL,
    other_id TEXT NOT NULL,
    keep_heads BLOB NOT NULL,
    other_heads BLOB NOT NULL,
    keep_seq INTEGER NOT NULL,
    other_seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    by_whom TEXT NOT NULL,
    undone_at TEXT
);
CREATE INDEX merges_commune ON merges (commune, merge_id);
