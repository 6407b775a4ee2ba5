-- When a revoked device reported that it wiped its register (docs/SECURITY.md, "Minimal data on
-- phones"): the coordinator sees which withdrawn phones hold nothing any more.
ALTER TABLE devices ADD COLUMN wiped_at TEXT;
