-- A coordinator either edits (the commune's officers who run the campaign) or only reads (a
-- leader or auditor who follows it): issue 17. Existing coordinators keep editing.
ALTER TABLE coordinators ADD COLUMN role TEXT NOT NULL DEFAULT 'editor';
