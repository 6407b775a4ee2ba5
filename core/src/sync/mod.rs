//! Device-side sync with the commune hub (see docs/sync-protocol.md).
