//! gocua-hub: the commune hub. Devices enrol with a pairing code and sync their households'
//! documents with it (docs/sync-protocol.md). Storage is behind [`store::HubStore`], SQLite by
//! default.

pub mod admin;
pub mod dashboard;
pub mod demo;
pub mod http;
pub mod hub;
pub mod limit;
pub mod postgres;
pub mod report;
mod resume;
pub mod sqlite;
pub mod store;
pub mod time;
pub mod upload;

pub use hub::{Hub, HubConfig};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use store::HubStore;
