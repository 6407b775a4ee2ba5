//! gocua side by side with the peers on shaped links (issue 7). Run with `bench/run.sh`.

pub mod data;
pub mod floor;
pub mod gocua;
pub mod peers;
pub mod proxy;
pub mod report;
pub mod w2;
