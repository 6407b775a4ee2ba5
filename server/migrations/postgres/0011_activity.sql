-- Who did what, for the activity of each volunteer (issue 17): the volunteer of each visit and
-- its outcome, and who set each checklist item. Derived columns: the query tables are rebuilt
-- from the documents because the projection's version changed.
ALTER TABLE dash_visits ADD COLUMN volunteer TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE dash_visits ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE dash_checklist ADD COLUMN set_by TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX dash_visits_volunteer ON dash_visits (commune, volunteer, date);
