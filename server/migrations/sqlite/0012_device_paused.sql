-- A device the commune paused (issue 17: a volunteer on leave, a phone lent to someone else for a
-- while): refused at sync as `paused` until resumed, its data kept on it, unlike a revocation.
ALTER TABLE devices ADD COLUMN paused_at TEXT;
