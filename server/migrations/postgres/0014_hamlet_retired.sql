-- Hamlets a coordinator retired (issue 17), alone or merged into another hamlet of the commune.
-- The row stays for history (the audit log and households' earlier values name it); lists and
-- pickers skip it. `merged_into` is sent to the phones with their area, so a household a phone
-- still holds in the retired hamlet moves instead of being dropped with unsent work.
ALTER TABLE hamlets ADD COLUMN retired_at TEXT;
ALTER TABLE hamlets ADD COLUMN merged_into TEXT;
