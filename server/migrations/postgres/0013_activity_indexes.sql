-- The activity page (issue 17) reads each volunteer's work from index entries alone: 420 ms
-- median at 10,000 households on SQLite without these (docs/BENCHMARKS.md).
DROP INDEX IF EXISTS dash_visits_volunteer;
CREATE INDEX dash_visits_by_volunteer ON dash_visits (commune, volunteer, date, outcome);
CREATE INDEX dash_checklist_volunteer ON dash_checklist (commune, set_by, day, achieved, active);
CREATE INDEX dash_households_volunteer ON dash_households (commune, created_by, created_day, active);
