-- A coordinator cancels a pairing code issued by mistake or handed to the wrong person
-- (issue 17): a cancelled code no longer enrols a phone, and the list of codes says who
-- cancelled it and when.
ALTER TABLE pairing_codes ADD COLUMN cancelled_at TEXT;
ALTER TABLE pairing_codes ADD COLUMN cancelled_by TEXT;
