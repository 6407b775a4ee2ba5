//! The hub's log: structured lines on standard error (`tracing`), the level from `GOCUA_LOG` or
//! else `RUST_LOG` (`info` when neither is set; e.g. `GOCUA_LOG=debug`,
//! `GOCUA_LOG=gocua_hub=debug,warn`). Each HTTP request runs in a span `request{id, method,
//! path}`, so every line it logs carries its id. Lines hold ids and codes, never personal data
//! (names, ID numbers, phones), tokens or request bodies.

use tracing_subscriber::EnvFilter;

/// The environment variable of the log's level (before `RUST_LOG`).
pub const LOG_ENV: &str = "GOCUA_LOG";

/// Installs the log for this process; does nothing when one is installed already.
pub fn init() {
    let filter = EnvFilter::try_from_env(LOG_ENV)
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
