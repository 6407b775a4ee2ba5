-- Documents a device may still push with changes made by other devices (docs/sync-protocol.md,
-- "Reconciliation"): a hub that lost writes is refilled by each phone with what it holds,
-- other phones' changes included. Set to the number of documents the hub said it lacked when
-- the device reconciled, spent as they are stored; 0 otherwise, when a device may only push
-- changes of its own.
ALTER TABLE devices ADD COLUMN refill_budget INTEGER NOT NULL DEFAULT 0;
