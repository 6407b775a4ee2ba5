//! `gocua-hub`: serve a commune hub, administer it, or run the demo.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;
use clap::{Parser, Subcommand};
use gocua_hub::bundle_cli;
use gocua_hub::erasure_cli as erasure;
use gocua_hub::store::sqlite::cipher::{self, DbKey};
use gocua_hub::{
    Hub, HubConfig, SqliteStore, admin, coordinator_admin, hamlet_admin, http, import,
    report::Report,
};

/// `println!` that fails instead of panicking when stdout is closed (a pipe to `head`, a closed
/// terminal): what the command did stays done, and the command ends with an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        writeln!(std::io::stdout(), $($arg)*)
            .map_err(|e| format!("cannot write to standard output: {e}"))?;
    }};
}

#[derive(Parser)]
#[command(
    name = "gocua-hub",
    version,
    about = "Máy chủ xã của gocua / gocua's commune hub"
)]
struct Cli {
    /// PostgreSQL database of a province's hubs (`postgres://user@host:port/db`), instead of the
    /// SQLite file in `--data`; or the environment variable GOCUA_HUB_DATABASE_URL.
    #[arg(long, global = true)]
    database: Option<String>,
    /// File holding the key (64 hex characters) of an encrypted SQLite database; or the
    /// environment variable GOCUA_HUB_DB_KEY_FILE (or GOCUA_HUB_DB_KEY, the key itself).
    #[arg(long, global = true, value_name = "FILE")]
    db_key_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// The database URL given with `--database` or GOCUA_HUB_DATABASE_URL, set once at start.
static DATABASE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
/// The SQLite database's key given with `--db-key-file` or the environment, read once at start.
static DB_KEY: std::sync::OnceLock<Option<DbKey>> = std::sync::OnceLock::new();

#[derive(Subcommand)]
enum Command {
    /// Serve the hub: devices enrol and sync here.
    Serve {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: String,
        /// PEM certificate chain: serve HTTPS (with --key).
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// Serve the status page at / (no personal data: ids, counts, times).
        #[arg(long)]
        status_page: bool,
        /// MiB of pulled households kept in memory for the next phone pulling the same
        /// (0: none; each is then decoded again for every phone).
        #[arg(long, env = "GOCUA_HUB_PULL_CACHE_MB", default_value_t = gocua_hub::hub::DEFAULT_PULL_CACHE_MB)]
        pull_cache_mb: usize,
    },
    /// Add a commune coordinator (UBND xã staff).
    AddCoordinator {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        commune: String,
        /// Read the coordinator's dashboard password (8 characters or more) from the first
        /// line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// `editor` (runs the campaign), `viewer` (reads the dashboard, changes nothing), or
        /// `province` (a province's follower: the communes' totals only; --commune is then the
        /// province's code).
        #[arg(long, default_value = "editor", value_parser = ["editor", "viewer", "province"])]
        role: String,
    },
    /// Make a coordinator an editor or a viewer of the dashboard.
    SetRole {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long, value_parser = ["editor", "viewer"])]
        role: String,
    },
    /// Set a coordinator's dashboard password, read from the first line of standard input.
    SetPassword {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        id: String,
    },
    /// Create (or replace) an area: a commune and some of its hamlets.
    CreateArea {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        commune: String,
        /// A hamlet name, as people write it; repeat for each hamlet.
        #[arg(long = "hamlet")]
        hamlets: Vec<String>,
    },
    /// Issue a single-use pairing code for a volunteer's device.
    Pair {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        volunteer: String,
        #[arg(long)]
        area: String,
        /// Hours the code stays valid (1 to 720).
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(i64).range(1..=720))]
        hours: i64,
        /// The hub's address as devices reach it, for the QR payload.
        #[arg(long, default_value = "http://127.0.0.1:7878")]
        url: String,
    },
    /// Set how many households a hamlet is expected to have (for "registered / expected").
    SetTarget {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        /// The hamlet, by id or by name.
        #[arg(long)]
        hamlet: String,
        /// Expected households (0 to 100000); leave out with --clear to remove the target.
        #[arg(long, required_unless_present = "clear", value_parser = clap::value_parser!(u32).range(0..=100_000))]
        households: Option<u32>,
        #[arg(long, conflicts_with = "households")]
        clear: bool,
    },
    /// Import a list the commune already has (CSV or XLSX, one row per person; `import-template`
    /// writes the columns): every row is checked first, and a file with any error imports
    /// nothing. Households reach the phones of their hamlet "to verify". Importing again adds
    /// only what is new.
    Import {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        file: PathBuf,
    },
    /// Write the import template (CSV, UTF-8) to standard output.
    ImportTemplate,
    /// Apply sealed bundles brought from phones without coverage (a USB stick); each answer is
    /// written into --answers, to carry back to its phone.
    ApplyBundles {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        /// Folder for the answers (created if missing)
        #[arg(long)]
        answers: PathBuf,
        /// Bundle files (.gocua)
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The commune's areas, their hamlets (id, name) and households held.
    Areas {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
    },
    /// Add a hamlet to an area of the coordinator's commune.
    AddHamlet {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        area: String,
        /// The hamlet's name, as people write it.
        name: String,
    },
    /// Rename a hamlet; its id and its households stay.
    RenameHamlet {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        /// The hamlet's id, as `areas` lists it.
        #[arg(long)]
        hamlet: String,
        name: String,
    },
    /// Move a hamlet, with its households, to another area of the commune.
    MoveHamlet {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        hamlet: String,
        #[arg(long)]
        area: String,
    },
    /// Merge a hamlet into another: its households move (checked, in the coordinator's name),
    /// then it retires; phones still holding its households move them too.
    MergeHamlet {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        hamlet: String,
        #[arg(long)]
        into: String,
    },
    /// Retire a hamlet that has no household.
    RetireHamlet {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        hamlet: String,
    },
    /// Give a volunteer's device another area of the commune (at its next sync).
    MoveDevice {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        device: String,
        #[arg(long)]
        area: String,
    },
    /// Pause a volunteer's device (refused at sync until resumed; its data stays on it), or
    /// resume it with --resume.
    PauseDevice {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        device: String,
        #[arg(long)]
        resume: bool,
    },
    /// Remove another coordinator of the same commune (their sessions end; the audit log keeps
    /// their id). The commune keeps at least one editor.
    RemoveCoordinator {
        #[arg(long)]
        data: PathBuf,
        /// The coordinator doing it.
        #[arg(long)]
        by: String,
        id: String,
    },
    /// The commune's pairing codes: for whom, by whom, open, used, cancelled or expired.
    Pairings {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
    },
    /// Cancel an unused pairing code by the reference `pairings` lists.
    Unpair {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        /// The code's reference (12 hex digits), not the code.
        reference: String,
    },
    /// Revoke a device: it is refused from its next request on.
    Revoke {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        device: String,
    },
    /// The commune's erasure requests filed by devices: pending first, then decided.
    ErasureRequests {
        #[arg(long)]
        data: PathBuf,
        /// The coordinator reading them (their commune's requests only).
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        json: bool,
    },
    /// Approve an erasure request: the household or member is erased from the hub now and from
    /// every device at its next sync.
    ApproveErasure {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        request: i64,
    },
    /// Refuse an erasure request; the device that filed it is told at its next sync.
    RefuseErasure {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        request: i64,
    },
    /// Erase a household, or one member's data (--member), on a person's request made at the
    /// commune office: from the hub now and from every device at its next sync.
    Erase {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        coordinator: String,
        #[arg(long)]
        household: String,
        #[arg(long)]
        member: Option<String>,
    },
    /// Per-device sync status and the latest sessions.
    Status {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Make a new key for an encrypted SQLite database, written to a new file readable by its
    /// owner only. Keep a copy apart from the database's backups: without it nothing opens.
    NewDbKey {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Encrypt an existing (plain) SQLite database in place under the key of --db-key-file.
    /// Stop the hub first.
    EncryptDb {
        #[arg(long)]
        data: PathBuf,
    },
    /// Back up the SQLite hub while it serves: a consistent copy, encrypted under the key of
    /// --backup-key-file (made by new-db-key; keep it apart from the backups). docs/deploy.md.
    Backup {
        #[arg(long)]
        data: PathBuf,
        /// The backup file to write (never overwritten).
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        #[arg(long, value_name = "FILE")]
        backup_key_file: PathBuf,
    },
    /// Restore the SQLite hub from a backup. Stop the hub first; the database it replaces is
    /// kept beside it. The restored hub's generation goes up by one.
    Restore {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[arg(long, value_name = "FILE")]
        backup_key_file: PathBuf,
    },
    /// Write the hub's identity (its id and the key of its erasure proofs) to a new file, to
    /// keep apart from the hub, with its keys: a hub rebuilt from nothing takes it back.
    Identity {
        #[arg(long, default_value = "gocua-data")]
        data: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Give a hub rebuilt from nothing (no household, no device yet) the identity of the hub it
    /// replaces, so its phones recognise it. They re-enrol with new pairing codes, then refill it.
    AdoptIdentity {
        #[arg(long, default_value = "gocua-data")]
        data: PathBuf,
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// After `pg_restore` of a PostgreSQL hub (with `--database`), before serving it: one
    /// generation on, so every phone offers back what the dump lacks at its next sync.
    MarkRestored {
        #[arg(long, default_value = "gocua-data")]
        data: PathBuf,
    },
    /// The main job in one command: a demo commune synced from three offline devices, served
    /// until stopped.
    Demo {
        #[arg(long, default_value = "gocua-demo")]
        data: PathBuf,
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: String,
    },
}

fn open(data: &Path) -> Result<Arc<dyn gocua_hub::HubStore>, String> {
    if let Some(url) = DATABASE.get().cloned().flatten() {
        // Connections per hub process; the database's max_connections bounds the sum.
        let pool = std::env::var("GOCUA_HUB_DATABASE_POOL")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(16);
        return gocua_hub::PgStore::open(&url, pool)
            .map(|s| Arc::new(s) as Arc<dyn gocua_hub::HubStore>)
            .map_err(|e| format!("PostgreSQL: {e}"));
    }
    gocua_hub::store::private_dir(data).map_err(|e| format!("{}: {e}", data.display()))?;
    let key = DB_KEY.get().cloned().flatten();
    SqliteStore::open_with_key(&data.join("hub.db"), key.as_ref())
        .map(|s| Arc::new(s) as Arc<dyn gocua_hub::HubStore>)
        .map_err(|e| e.to_string())
}

/// The store and the commune of `coordinator`, for the commands that act in one commune.
fn open_for(
    data: &Path,
    coordinator: &str,
) -> Result<(Arc<dyn gocua_hub::HubStore>, String), String> {
    let store = open(data)?;
    let commune = erasure::commune_of(store.as_ref(), coordinator)?;
    Ok((store, commune))
}

fn run(cli: Cli) -> Result<(), String> {
    let database = cli.database.clone().or_else(|| {
        std::env::var(gocua_hub::postgres::DATABASE_URL_ENV)
            .ok()
            .filter(|u| !u.is_empty())
    });
    let _ = DATABASE.set(database);
    let key = match &cli.db_key_file {
        Some(path) => Some(DbKey::read_file(path).map_err(|e| e.to_string())?),
        None => DbKey::from_env().map_err(|e| e.to_string())?,
    };
    let _ = DB_KEY.set(key);
    let now = Utc::now();
    match cli.command {
        Command::Serve {
            data,
            listen,
            cert,
            key,
            status_page,
            pull_cache_mb,
        } => {
            let store = open(&data)?;
            let tls = match (cert, key) {
                (Some(c), Some(k)) => Some(http::tls_acceptor(&c, &k)?),
                _ => None,
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let config = HubConfig {
                pull_cache_bytes: pull_cache_mb.saturating_mul(1024 * 1024),
                ..HubConfig::default()
            };
            let hub = Arc::new(Hub::new(store, config));
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .map_err(|e| format!("{listen}: {e}"))?;
                let addr = listener.local_addr().map_err(|e| e.to_string())?;
                say!(
                    "gocua-hub serving on {scheme}://{addr} (data: {})",
                    data.display()
                );
                let shutdown = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                http::serve(hub, listener, tls, status_page, shutdown)
                    .await
                    .map_err(|e| e.to_string())
            })
        }
        Command::AddCoordinator {
            data,
            id,
            name,
            commune,
            password_stdin,
            role,
        } => {
            let store = open(&data)?;
            if role == "province" {
                admin::add_province_viewer(store.as_ref(), &id, &name, &commune, now)
            } else {
                admin::add_coordinator(store.as_ref(), &id, &name, &commune, now)
            }
            .map_err(|e| e.to_string())?;
            if role == "viewer" {
                admin::set_role(store.as_ref(), &id, &role).map_err(|e| e.to_string())?;
            }
            if password_stdin {
                gocua_hub::dashboard::auth::set_password(store.as_ref(), &id, &read_password()?)?;
            }
            say!("coordinator {id} added");
            Ok(())
        }
        Command::SetRole { data, id, role } => {
            admin::set_role(open(&data)?.as_ref(), &id, &role).map_err(|e| e.to_string())?;
            say!("coordinator {id} is now a dashboard {role}");
            Ok(())
        }
        Command::SetPassword { data, id } => {
            gocua_hub::dashboard::auth::set_password(
                open(&data)?.as_ref(),
                &id,
                &read_password()?,
            )?;
            say!("password of {id} set; their dashboard sessions ended");
            Ok(())
        }
        Command::CreateArea {
            data,
            id,
            name,
            commune,
            hamlets,
        } => {
            let area = admin::create_area(open(&data)?.as_ref(), &id, &name, &commune, &hamlets)
                .map_err(|e| e.to_string())?;
            say!(
                "area {} ({}) in commune {}: hamlets {}",
                area.area_id,
                area.name,
                area.commune_code,
                area.hamlets
                    .iter()
                    .map(|h| h.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(())
        }
        Command::Pair {
            data,
            coordinator,
            volunteer,
            area,
            hours,
            url,
        } => {
            let code = admin::issue_pairing(
                open(&data)?.as_ref(),
                &coordinator,
                &volunteer,
                &area,
                admin::pairing_hours(hours).map_err(|e| e.to_string())?,
                now,
            )
            .map_err(|e| e.to_string())?;
            say!("pairing code: {code}  (single use, valid {hours} h)");
            say!("QR payload:   {}", admin::pairing_qr_payload(&url, &code));
            Ok(())
        }
        Command::SetTarget {
            data,
            coordinator,
            hamlet,
            households,
            clear,
        } => {
            let expected = if clear { None } else { households };
            admin::set_hamlet_target(open(&data)?.as_ref(), &coordinator, &hamlet, expected, now)
                .map_err(|e| e.to_string())?;
            match expected {
                Some(n) => say!("hamlet {hamlet}: {n} households expected"),
                None => say!("hamlet {hamlet}: no target"),
            }
            Ok(())
        }
        Command::Import {
            data,
            coordinator,
            dry_run,
            file,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let table = import::table::read(&bytes).map_err(|u| format!("{} / {}", u.vi, u.en))?;
            let plan = import::plan(store.as_ref(), &coordinator, &commune, &table, now)
                .map_err(|e| e.to_string())?;
            let r = &plan.report;
            for (vi, en) in &r.notes {
                say!("note: {vi} / {en}");
            }
            for row in r.rows.iter().filter(|row| !row.messages.is_empty()) {
                for (vi, en) in &row.messages {
                    say!("line {} ({}): {vi} / {en}", row.line, row.household_key);
                }
            }
            say!(
                "{} new households ({} people), {} already there, {} rows with errors",
                r.households_new,
                r.members_new,
                r.households_skipped,
                r.errors
            );
            if r.errors > 0 {
                return Err("nothing imported: fix the rows above and import again".into());
            }
            if dry_run {
                say!("dry run: nothing written");
                return Ok(());
            }
            if r.households_new == 0 {
                say!("nothing new to import");
                return Ok(());
            }
            let n = import::apply(store.as_ref(), &coordinator, &plan, now)
                .map_err(|e| e.to_string())?;
            say!("{n} households imported, to verify at the door");
            Ok(())
        }
        Command::ApplyBundles {
            data,
            coordinator,
            answers,
            files,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            let hub = Hub::new(store, HubConfig::default());
            let applied = bundle_cli::apply_files(&hub, &commune, &coordinator, &files, &answers)?;
            let refused = applied.iter().filter(|a| a.refused).count();
            for a in &applied {
                say!("{}: {}", a.file.display(), a.line);
                if let Some(p) = &a.answer {
                    say!("  -> {}", p.display());
                }
            }
            if refused > 0 {
                return Err(format!(
                    "{refused} tệp bị từ chối (lý do ở trên) / {refused} files refused (reasons above)"
                ));
            }
            Ok(())
        }
        Command::ImportTemplate => {
            print!("{}", import::template_csv());
            Ok(())
        }
        Command::Areas { data, coordinator } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            let dash = store.dashboard().ok_or("this store has no dashboard")?;
            for area in dash.areas(&commune).map_err(|e| e.to_string())? {
                say!("area {} ({})", area.area_id, area.name);
                for (id, name) in area.hamlets {
                    let held = store
                        .hamlet_docs(&commune, &id)
                        .map_err(|e| e.to_string())?;
                    say!("  {id:<24} {name}  ({} households)", held.len());
                }
            }
            Ok(())
        }
        Command::AddHamlet {
            data,
            coordinator,
            area,
            name,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            let h = hamlet_admin::add_hamlet(store.as_ref(), &commune, &area, &name)
                .map_err(|e| e.to_string())?;
            say!("hamlet {} ({}) added to area {area}", h.id, h.name);
            Ok(())
        }
        Command::RenameHamlet {
            data,
            coordinator,
            hamlet,
            name,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            let h = hamlet_admin::rename_hamlet(store.as_ref(), &commune, &hamlet, &name)
                .map_err(|e| e.to_string())?;
            say!("hamlet {} is now named {}", h.id, h.name);
            Ok(())
        }
        Command::MoveHamlet {
            data,
            coordinator,
            hamlet,
            area,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            hamlet_admin::move_hamlet(store.as_ref(), &commune, &hamlet, &area)
                .map_err(|e| e.to_string())?;
            say!("hamlet {hamlet} is now in area {area}");
            Ok(())
        }
        Command::MergeHamlet {
            data,
            coordinator,
            hamlet,
            into,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            let r = hamlet_admin::merge_hamlet(
                store.as_ref(),
                &coordinator,
                &commune,
                &hamlet,
                &into,
                now,
            )
            .map_err(|e| e.to_string())?;
            if r.left == 0 {
                say!(
                    "{} households moved into {into}; hamlet {hamlet} retired",
                    r.moved
                );
                Ok(())
            } else {
                Err(format!(
                    "{} households moved, {} could not be (syncing, or a rule they break): \
                     hamlet {hamlet} stays; run the merge again later",
                    r.moved, r.left
                ))
            }
        }
        Command::RetireHamlet {
            data,
            coordinator,
            hamlet,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            hamlet_admin::retire_hamlet(store.as_ref(), &commune, &hamlet, now)
                .map_err(|e| e.to_string())?;
            say!("hamlet {hamlet} retired");
            Ok(())
        }
        Command::MoveDevice {
            data,
            coordinator,
            device,
            area,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            hamlet_admin::move_device(store.as_ref(), &commune, &device, &area)
                .map_err(|e| e.to_string())?;
            say!("device {device} moves to area {area} at its next sync");
            Ok(())
        }
        Command::PauseDevice {
            data,
            coordinator,
            device,
            resume,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            hamlet_admin::pause_device(store.as_ref(), &commune, &device, !resume, now)
                .map_err(|e| e.to_string())?;
            say!(
                "device {device} {}",
                if resume { "resumed" } else { "paused" }
            );
            Ok(())
        }
        Command::RemoveCoordinator { data, by, id } => {
            let (store, commune) = open_for(&data, &by)?;
            coordinator_admin::remove(store.as_ref(), &commune, &by, &id)
                .map_err(|e| e.to_string())?;
            say!("coordinator {id} removed");
            Ok(())
        }
        Command::Pairings { data, coordinator } => {
            let rows = admin::pairings(open(&data)?.as_ref(), &coordinator, 1000)
                .map_err(|e| e.to_string())?;
            print!("{}", admin::pairing_table(&rows, now));
            Ok(())
        }
        Command::Unpair {
            data,
            coordinator,
            reference,
        } => {
            admin::cancel_pairing(open(&data)?.as_ref(), &coordinator, &reference, now)
                .map_err(|e| e.to_string())?;
            say!("pairing code {reference} cancelled");
            Ok(())
        }
        Command::Revoke { data, device } => {
            admin::revoke(open(&data)?.as_ref(), &device, now).map_err(|e| e.to_string())?;
            say!("device {device} revoked");
            Ok(())
        }
        Command::ErasureRequests {
            data,
            coordinator,
            json,
        } => {
            let (store, commune) = open_for(&data, &coordinator)?;
            let requests = store
                .erase_requests(&commune, 1000)
                .map_err(|e| e.to_string())?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&requests).map_err(|e| e.to_string())?
                );
            } else {
                print!("{}", erasure::table(&requests));
            }
            Ok(())
        }
        Command::ApproveErasure {
            data,
            coordinator,
            request,
        } => {
            let r = erasure::decide(open(&data)?, &coordinator, request, true)?;
            say!(
                "erasure request {} approved: {}",
                r.request_id,
                erasure::what(&r)
            );
            Ok(())
        }
        Command::RefuseErasure {
            data,
            coordinator,
            request,
        } => {
            let r = erasure::decide(open(&data)?, &coordinator, request, false)?;
            say!(
                "erasure request {} refused: {}",
                r.request_id,
                erasure::what(&r)
            );
            Ok(())
        }
        Command::Erase {
            data,
            coordinator,
            household,
            member,
        } => {
            let erased = erasure::erase(open(&data)?, &coordinator, &household, member.as_deref())?;
            say!("{erased}");
            Ok(())
        }
        Command::Status { data, json } => {
            let report = Report::collect(open(&data)?.as_ref()).map_err(|e| e.to_string())?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
                );
            } else {
                print!("{}", report.to_text());
            }
            Ok(())
        }
        Command::NewDbKey { out } => {
            DbKey::generate()
                .write_new_file(&out)
                .map_err(|e| e.to_string())?;
            say!(
                "key written to {} (0600); start the hub with --db-key-file {}",
                out.display(),
                out.display()
            );
            Ok(())
        }
        Command::EncryptDb { data } => {
            let key = DB_KEY.get().cloned().flatten().ok_or(
                "cần khoá: --db-key-file (tạo bằng gocua-hub new-db-key) / a key is needed: --db-key-file (made by gocua-hub new-db-key)",
            )?;
            let path = data.join("hub.db");
            if !path.exists() {
                return Err(format!("{}: no database", path.display()));
            }
            cipher::encrypt_in_place(&path, &key).map_err(|e| e.to_string())?;
            say!(
                "{} is encrypted; start the hub with the same --db-key-file",
                path.display()
            );
            Ok(())
        }
        Command::Backup {
            data,
            to,
            backup_key_file,
        } => {
            let backup_key =
                cipher::DbKey::read_file(&backup_key_file).map_err(|e| e.to_string())?;
            let db_key = DB_KEY.get().cloned().flatten();
            let path = data.join("hub.db");
            if !path.exists() {
                return Err(format!("{}: no database", path.display()));
            }
            let info =
                gocua_hub::store::sqlite::backup::backup(&path, db_key.as_ref(), &to, &backup_key)
                    .map_err(|e| e.to_string())?;
            say!(
                "backup written to {}: hub {}, generation {}, {} households",
                to.display(),
                info.hub_id,
                info.generation,
                info.documents
            );
            Ok(())
        }
        Command::Restore {
            data,
            from,
            backup_key_file,
        } => {
            let backup_key =
                cipher::DbKey::read_file(&backup_key_file).map_err(|e| e.to_string())?;
            let db_key = DB_KEY.get().cloned().flatten();
            gocua_hub::store::private_dir(&data).map_err(|e| format!("{}: {e}", data.display()))?;
            let info = gocua_hub::store::sqlite::backup::restore(
                &from,
                &backup_key,
                &data.join("hub.db"),
                db_key.as_ref(),
                chrono::Utc::now(),
            )
            .map_err(|e| e.to_string())?;
            say!(
                "restored hub {} ({} households) as generation {}; start the hub with the same --db-key-file",
                info.hub_id,
                info.documents,
                info.generation
            );
            Ok(())
        }
        Command::Identity { data, out } => {
            let store = open(&data)?;
            let id =
                gocua_hub::identity::export(store.as_ref(), &out).map_err(|e| e.to_string())?;
            say!(
                "identity of hub {} written to {} (0600): keep it apart from the hub, with its keys",
                id.hub_id,
                out.display()
            );
            Ok(())
        }
        Command::AdoptIdentity { data, from } => {
            let store = open(&data)?;
            let id =
                gocua_hub::identity::adopt(store.as_ref(), &from).map_err(|e| e.to_string())?;
            say!(
                "this hub is now {}; issue new pairing codes: each phone re-enrols, then refills it",
                id.hub_id
            );
            Ok(())
        }
        Command::MarkRestored { data } => {
            let store = open(&data)?;
            let generation = store
                .mark_restored(chrono::Utc::now())
                .map_err(|e| e.to_string())?;
            say!(
                "hub {} marked restored as generation {generation}; phones refill it at their next sync",
                store.hub_id().map_err(|e| e.to_string())?
            );
            Ok(())
        }
        Command::Demo { data, listen } => {
            gocua_hub::demo::run(&data, &listen).map_err(|e| e.to_string())
        }
    }
}

/// The first line of standard input, without its line end.
fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn main() -> ExitCode {
    gocua_hub::log::init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "gocua-hub: {e}");
            ExitCode::FAILURE
        }
    }
}
