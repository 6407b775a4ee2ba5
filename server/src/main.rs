//! `gocua-hub`: serve a commune hub, administer it, or run the demo.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;
use clap::{Parser, Subcommand};
use gocua_hub::erasure_cli as erasure;
use gocua_hub::store::sqlite::cipher::{self, DbKey};
use gocua_hub::{Hub, HubConfig, SqliteStore, admin, http, report::Report};

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
        } => {
            let store = open(&data)?;
            let tls = match (cert, key) {
                (Some(c), Some(k)) => Some(http::tls_acceptor(&c, &k)?),
                _ => None,
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let hub = Arc::new(Hub::new(store, HubConfig::default()));
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
        } => {
            let store = open(&data)?;
            admin::add_coordinator(store.as_ref(), &id, &name, &commune, now)
                .map_err(|e| e.to_string())?;
            if password_stdin {
                gocua_hub::dashboard::auth::set_password(store.as_ref(), &id, &read_password()?)?;
            }
            say!("coordinator {id} added");
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
            let store = open(&data)?;
            let commune = erasure::commune_of(store.as_ref(), &coordinator)?;
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
