-- Whether a member has consent in force to share with the commune (projection VERSION 3): rows
-- without it carry no name or personal fields; the dashboard counts them and never shows them.
ALTER TABLE dash_members ADD COLUMN shared BOOLEAN NOT NULL DEFAULT FALSE;
