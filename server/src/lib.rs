//! gocua-hub: the commune hub. Devices enrol with a pairing code and sync their households'
//! documents with it (docs/sync-protocol.md). Storage is behind [`store::HubStore`], SQLite by
//! default; the dashboard's pages ask [`store::query::DashboardStore`]; what a document gives
//! the query tables is [`projection`].

pub mod admin;
mod api;
pub mod budget;
pub mod bundle_cli;
pub mod connections;
pub mod coordinator_admin;
pub mod dashboard;
pub mod demo;
pub mod demo_campaign;
pub mod demo_people;
pub mod erasure_cli;
pub mod hamlet_admin;
pub mod http;
pub mod hub;
pub mod identity;
pub mod import;
pub mod limit;
pub mod log;
pub mod projection;
pub mod report;
mod resume;
pub mod store;
pub mod time;
pub mod upload;

pub use hub::{Hub, HubConfig};
pub use store::postgres::PgStore;
pub use store::sqlite::SqliteStore;
pub use store::{HubStore, postgres, sqlite};
