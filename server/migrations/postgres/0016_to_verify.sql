-- Households imported from a commune's list and not yet confirmed at the door (issue 17): the
-- overview counts them apart from the registered ones. The rows are rebuilt with it (projection
-- version 6).
ALTER TABLE dash_households ADD COLUMN to_verify BOOLEAN NOT NULL DEFAULT false;
