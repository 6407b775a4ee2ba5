-- The error of a device's clock measured at its last sync (device minus hub, in seconds): a
-- phone whose clock is wrong (a drained battery, weeks without network time) records wrong
-- dates, which the coordinator sees and the volunteer is told to fix.
ALTER TABLE devices ADD COLUMN clock_skew_secs BIGINT;
