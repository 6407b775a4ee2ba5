//! TLS to PostgreSQL (`store/postgres/tls.rs`), against the private cluster of
//! `scripts/with-postgres.sh`, which serves TLS with a CA of its own: `sslmode=require` with
//! that CA connects over TLS; without it the certificate is refused, never accepted unverified;
//! the default stays plain. Skipped (with a message) without a cluster or its CA.

use gocua_hub::PgStore;

fn ssl_in_use(store: &PgStore) -> bool {
    store
        .connection()
        .unwrap()
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn sslmode_require_verifies_the_server_and_the_default_stays_plain() {
    let (Ok(url), Ok(ca)) = (
        std::env::var("GOCUA_TEST_POSTGRES_URL"),
        std::env::var("GOCUA_TEST_POSTGRES_CA"),
    ) else {
        eprintln!("skipped: no PostgreSQL cluster with TLS (run under scripts/with-postgres.sh)");
        return;
    };
    let ca = std::path::Path::new(&ca);
    let sep = if url.contains('?') { '&' } else { '?' };
    let require = format!("{url}{sep}sslmode=require");

    let store = PgStore::open_with_ca(&require, 2, Some(ca)).unwrap();
    assert!(
        ssl_in_use(&store),
        "sslmode=require connected in plain text"
    );
    drop(store);

    // The public roots do not know the cluster's CA: refused, quickly, in words.
    let refused = PgStore::open_with_ca(&require, 2, None)
        .err()
        .unwrap()
        .to_string();
    assert!(
        refused.to_lowercase().contains("certificate") || refused.contains("UnknownIssuer"),
        "{refused}"
    );

    let store = PgStore::open_with_ca(&url, 2, Some(ca)).unwrap();
    assert!(!ssl_in_use(&store), "the default asked for TLS");
}
