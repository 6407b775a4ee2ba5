//! TLS to PostgreSQL. A province's database is often on another machine: its connections then
//! carry names, ID numbers and phones across a network. `sslmode=require` in the database URL
//! turns TLS on, with the server's certificate always verified (host name included) against
//! the public web roots, or against the CA in `GOCUA_HUB_DATABASE_CA` (a PEM file) for a
//! province's own CA: unlike libpq's `require`, gocua never accepts an unverified certificate.
//! `prefer`, the default, connects in plain text, as before: TLS only when asked for, so a
//! loopback database with a self-signed certificate keeps working. docs/deploy.md.

use std::path::Path;
use std::sync::Arc;

use ::postgres::config::SslMode;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::{StoreError, StoreResult};

/// The environment variable naming a PEM file of the CA that signed the database's certificate.
pub const CA_ENV: &str = "GOCUA_HUB_DATABASE_CA";

pub type Tls = MakeRustlsConnect;

/// The connector for `config`, whose `prefer` is made `disable` (see the module's comment).
pub fn connector(config: &mut ::postgres::Config, ca: Option<&Path>) -> StoreResult<Tls> {
    if config.get_ssl_mode() == SslMode::Prefer {
        config.ssl_mode(SslMode::Disable);
    }
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| StoreError::Config(format!("{CA_ENV} {}: {e}", path.display())))?;
            if certs.is_empty() {
                return Err(StoreError::Config(format!(
                    "{CA_ENV} {}: no certificate",
                    path.display()
                )));
            }
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| StoreError::Config(format!("{CA_ENV}: {e}")))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Config(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(tls))
}
