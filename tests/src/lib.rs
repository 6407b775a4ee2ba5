//! Cross-crate integration tests live in `tests/`; this library holds their shared fixtures.

use std::sync::Arc;

pub mod hub_process;
pub mod people;
pub mod proxy;
pub mod week;

use chrono::{TimeZone, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::sync::{InProcess, Response, SyncError, Transport};
use gocua_core::{FixedClock, HouseholdDoc, Register};
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore, admin};

pub const COMMUNE: &str = "00004";
pub const PROVINCE: &str = "01";

/// A hub on an in-memory or file store with a coordinator and two areas:
/// `a` (Thôn Đông, Thôn Tây) and `b` (Thôn Bắc).
pub fn hub(dir: &std::path::Path) -> (Arc<SqliteStore>, Arc<Hub>) {
    let store = Arc::new(SqliteStore::open(&dir.join("hub.db")).unwrap());
    let now = Utc::now();
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ xã", COMMUNE, now).unwrap();
    admin::create_area(
        store.as_ref(),
        "a",
        "Đông Tây",
        COMMUNE,
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )
    .unwrap();
    admin::create_area(store.as_ref(), "b", "Bắc", COMMUNE, &["Thôn Bắc".into()]).unwrap();
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    (store, hub)
}

pub fn code(store: &SqliteStore, volunteer: &str, area: &str) -> String {
    admin::issue_pairing(
        store,
        "coord",
        volunteer,
        area,
        chrono::Duration::hours(1),
        Utc::now(),
    )
    .unwrap()
}

/// A new register for `volunteer`, in its own file.
pub fn register(dir: &std::path::Path, volunteer: &str) -> Register {
    Register::create(
        &dir.join(format!("{volunteer}.db")),
        VolunteerId(volunteer.into()),
        COMMUNE,
    )
    .unwrap()
    .with_clock(FixedClock(Utc.timestamp_opt(1_790_000_000, 0).unwrap()))
}

pub fn household(hamlet: &str, n: usize) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some("Đường Làng".into()),
            alley: None,
            house_number: Some(n.to_string()),
        },
        gps: None,
        official: None,
        notes: None,
    }
}

pub fn member(name: &str, relation: Relation) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth: Some(BirthDate::Year(1980)),
        gender: Some(Gender::Female),
        relation,
        id_number: None,
        phone: None,
        residence: ResidenceType::Permanent,
    }
}

/// Registers households `numbers` of `hamlet` on `reg`, each with one head of household.
pub fn add_households(
    reg: &mut Register,
    hamlet: &str,
    numbers: std::ops::Range<usize>,
    head: &str,
) -> Vec<HouseholdId> {
    numbers
        .map(|n| {
            let id = reg.create_household(household(hamlet, n)).unwrap().value;
            reg.add_member_with_consent(
                &id,
                member(head, Relation::Head),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .unwrap();
            id
        })
        .collect()
}

/// Every household the hub holds, read from its documents.
pub fn hub_households(store: &SqliteStore) -> Vec<Household> {
    store
        .doc_ids()
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| {
            HouseholdDoc::load(&store.load_doc(&id).unwrap().unwrap().bytes)
                .unwrap()
                .read()
                .unwrap()
        })
        .collect()
}

/// Every household a register holds.
pub fn device_households(reg: &Register) -> Vec<Household> {
    reg.household_ids()
        .unwrap()
        .iter()
        .map(|id| reg.household(id).unwrap())
        .collect()
}

/// Where a faulty transport fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request never reaches the hub.
    BeforeHub,
    /// The hub handles the request, the answer is lost.
    AfterHub,
}

/// Fails the `nth` request (0-based) to `path` at `fault`, passes the others.
pub struct Faulty {
    pub inner: InProcess,
    pub path: &'static str,
    pub nth: usize,
    pub fault: Fault,
    pub seen: std::sync::Mutex<usize>,
}

impl Transport for Faulty {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        let hit = if path == self.path {
            let mut seen = self.seen.lock().unwrap();
            let hit = *seen == self.nth;
            *seen += 1;
            hit
        } else {
            false
        };
        if hit && self.fault == Fault::BeforeHub {
            return Err(SyncError::Network(
                "injected: connection dropped before the hub".into(),
            ));
        }
        let resp = self.inner.post(path, token, content_type, body)?;
        if hit {
            return Err(SyncError::Network(
                "injected: connection dropped after the hub".into(),
            ));
        }
        Ok(resp)
    }
}

// --- backends: the hub's storage and sync tests run on SQLite and on PostgreSQL (issue 9)

/// The environment variable with the URL of a PostgreSQL cluster for tests
/// (`scripts/with-postgres.sh` starts one and sets it).
pub const POSTGRES_URL_ENV: &str = "GOCUA_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A hub on one backend, with what a test needs to open the same storage again (a restart, or a
/// second hub process on the same database).
pub struct Fixture {
    pub backend: Backend,
    pub store: Arc<dyn HubStore>,
    pub hub: Arc<Hub>,
    /// The SQLite file or the PostgreSQL URL of this test's own database.
    pub location: String,
}

impl Fixture {
    /// A new store on the same storage, as a restarted or second hub process opens it (its own
    /// connection or pool).
    pub fn open_again(&self) -> Arc<dyn HubStore> {
        match self.backend {
            Backend::Sqlite => {
                Arc::new(SqliteStore::open(std::path::Path::new(&self.location)).unwrap())
            }
            Backend::Postgres => Arc::new(gocua_hub::PgStore::open(&self.location, 4).unwrap()),
        }
    }

    /// A second hub on the same storage, with its own store (pool).
    pub fn second_hub(&self) -> (Arc<dyn HubStore>, Arc<Hub>) {
        let store = self.open_again();
        let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
        (store, hub)
    }
}

impl Drop for Fixture {
    /// A PostgreSQL test's database is dropped when the test passes (kept, and named, when it
    /// fails, to look at); the cluster itself goes when `scripts/with-postgres.sh` ends.
    fn drop(&mut self) {
        if self.backend == Backend::Postgres {
            drop_postgres_database(&self.location);
        }
    }
}

/// Drops a database of [`postgres_database`], even with connections still open (the pools of a
/// test's stores, a killed hub's); when the thread is panicking it is kept, and named, to look at.
pub fn drop_postgres_database(database_url: &str) {
    let Ok(config) = database_url.parse::<postgres::Config>() else {
        return;
    };
    let name = config.get_dbname().unwrap_or_default().to_owned();
    if !name.starts_with("gocua_test_") {
        return;
    }
    if std::thread::panicking() {
        eprintln!("PostgreSQL database {name} kept for inspection");
        return;
    }
    if let Ok(url) = std::env::var(POSTGRES_URL_ENV)
        && let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls)
    {
        let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

/// A new empty PostgreSQL database on the test cluster, for one test; `None`, with a message
/// saying how to run it, when [`POSTGRES_URL_ENV`] is not set. Panics when it is set but the
/// cluster cannot be reached or the database cannot be made: a test never passes by skipping then.
pub fn postgres_database(test: &str) -> Option<String> {
    let Ok(url) = std::env::var(POSTGRES_URL_ENV) else {
        eprintln!(
            "skipped on PostgreSQL ({test}): {POSTGRES_URL_ENV} is not set; run the tests with \
             scripts/with-postgres.sh (scripts/with-postgres.sh cargo test --workspace)"
        );
        return None;
    };
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap_or_else(|e| {
        panic!("{POSTGRES_URL_ENV} is set but the server does not answer: {e}")
    });
    let name = format!("gocua_test_{}", hex_id());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("{POSTGRES_URL_ENV} is set but CREATE DATABASE failed: {e}"));
    let mut config: postgres::Config = url.parse().unwrap();
    config.dbname(&name);
    Some(config_url(&config))
}

fn hex_id() -> String {
    rand::random::<[u8; 8]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A key=value connection string from a parsed config (host, port, user, password, database).
fn config_url(c: &postgres::Config) -> String {
    let mut parts = Vec::new();
    if let Some(postgres::config::Host::Tcp(h)) = c.get_hosts().first() {
        parts.push(format!("host={h}"));
    }
    if let Some(p) = c.get_ports().first() {
        parts.push(format!("port={p}"));
    }
    if let Some(u) = c.get_user() {
        parts.push(format!("user={u}"));
    }
    if let Some(p) = c.get_password() {
        parts.push(format!("password='{}'", String::from_utf8_lossy(p)));
    }
    if let Some(d) = c.get_dbname() {
        parts.push(format!("dbname={d}"));
    }
    parts.join(" ")
}

/// The hub of [`hub`] on `backend`; `None` (the test is skipped, with a message) for PostgreSQL
/// when no cluster is given.
pub fn fixture(backend: Backend, dir: &std::path::Path, test: &str) -> Option<Fixture> {
    let (store, location): (Arc<dyn HubStore>, String) = match backend {
        Backend::Sqlite => {
            let path = dir.join("hub.db");
            (
                Arc::new(SqliteStore::open(&path).unwrap()),
                path.to_string_lossy().into_owned(),
            )
        }
        Backend::Postgres => {
            let url = postgres_database(test)?;
            (Arc::new(gocua_hub::PgStore::open(&url, 4).unwrap()), url)
        }
    };
    seed(store.as_ref());
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    Some(Fixture {
        backend,
        store,
        hub,
        location,
    })
}

/// The fixture's coordinator and areas on `store`: `a` (Thôn Đông, Thôn Tây), `b` (Thôn Bắc).
pub fn seed(store: &dyn HubStore) {
    let now = Utc::now();
    admin::add_coordinator(store, "coord", "Cán bộ xã", COMMUNE, now).unwrap();
    admin::create_area(
        store,
        "a",
        "Đông Tây",
        COMMUNE,
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )
    .unwrap();
    admin::create_area(store, "b", "Bắc", COMMUNE, &["Thôn Bắc".into()]).unwrap();
}

/// [`code`] on any store.
pub fn code_on(store: &dyn HubStore, volunteer: &str, area: &str) -> String {
    admin::issue_pairing(
        store,
        "coord",
        volunteer,
        area,
        chrono::Duration::hours(1),
        Utc::now(),
    )
    .unwrap()
}

/// A register of `volunteer` (as [`register`]) enrolled in `area` of the fixture's hub, syncing
/// in-process over `transport`.
pub fn enrolled(
    fx: &Fixture,
    transport: &dyn gocua_core::sync::Transport,
    dir: &std::path::Path,
    volunteer: &str,
    area: &str,
) -> Register {
    let mut reg = register(dir, volunteer);
    let code = code_on(fx.store.as_ref(), volunteer, area);
    reg.sync_enrol("inproc", transport, &code, None).unwrap();
    reg
}

/// [`hub_households`] on any store.
pub fn households_on(store: &dyn HubStore) -> Vec<Household> {
    store
        .doc_ids()
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| {
            HouseholdDoc::load(&store.load_doc(&id).unwrap().unwrap().bytes)
                .unwrap()
                .read()
                .unwrap()
        })
        .collect()
}

/// Runs each named test (a `fn(Backend)` of the enclosing module) once per backend:
/// `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name($crate::Backend::Postgres) } )*
        }
    };
}

/// Every row of every table of a PostgreSQL test database but those in `skip`, as
/// `"table: row"` (the row in PostgreSQL's text form), sorted: a dump to compare before and after.
pub fn postgres_dump(url: &str, skip: &[&str]) -> Vec<String> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let tables: Vec<String> = c
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .filter(|t: &String| !skip.contains(&t.as_str()))
        .collect();
    let mut out = Vec::new();
    for t in tables {
        for row in c
            .query(&format!("SELECT t::text FROM \"{t}\" t"), &[])
            .unwrap()
        {
            out.push(format!("{t}: {}", row.get::<_, String>(0)));
        }
    }
    out.sort();
    out
}

/// Every non-null value of every column of every table of a PostgreSQL test database, as
/// `(table, column, bytes)`: `bytea` as stored, every other type in its text form (UTF-8).
pub fn postgres_values(url: &str) -> Vec<(String, String, Vec<u8>)> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let columns: Vec<(String, String, String)> = c
        .query(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text
             FROM information_schema.columns c
             JOIN pg_tables t ON t.schemaname = c.table_schema AND t.tablename = c.table_name
             WHERE c.table_schema = current_schema() ORDER BY 1, 2",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let mut out = Vec::new();
    for (table, column, kind) in columns {
        let bytea = kind == "bytea";
        let sql = if bytea {
            format!("SELECT \"{column}\" FROM \"{table}\" WHERE \"{column}\" IS NOT NULL")
        } else {
            format!("SELECT \"{column}\"::text FROM \"{table}\" WHERE \"{column}\" IS NOT NULL")
        };
        for row in c.query(&sql, &[]).unwrap() {
            let value = if bytea {
                row.get::<_, Vec<u8>>(0)
            } else {
                row.get::<_, String>(0).into_bytes()
            };
            out.push((table.clone(), column.clone(), value));
        }
    }
    out
}
