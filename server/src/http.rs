//! The hub over HTTP (axum), optionally HTTPS with rustls from certificate and key files.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::connect_info::Connected;
use axum::extract::{DefaultBodyLimit, FromRequest, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::serve::IncomingStream;
use gocua_core::sync::bundle_wire::{PATH_BUNDLE, PATH_KEYS};
use gocua_core::sync::wire::{
    PATH_ENROL, PATH_FINISH, PATH_RECONCILE, PATH_SYNC, PATH_SYNC_UPLOAD, PATH_WIPED,
};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

pub use crate::api::ClientAddr;
use crate::api::{MAX_REQUEST, answer, bearer};
use crate::connections::Limited;
use crate::hub::Hub;

pub fn router(hub: Arc<Hub>, status_page: bool) -> Router {
    app(hub, status_page, false)
}

/// The hub's routes and the coordinators' dashboard (its cookies `Secure` when `tls`).
fn app(hub: Arc<Hub>, status_page: bool, tls: bool) -> Router {
    let dashboard = crate::dashboard::router(hub.clone(), tls);
    let mut router = Router::new()
        // Requests without a device token are small: read no more of them than that.
        .route(
            PATH_ENROL,
            post(api).layer(DefaultBodyLimit::max(SMALL_REQUEST)),
        )
        .route(
            PATH_WIPED,
            post(api).layer(DefaultBodyLimit::max(SMALL_REQUEST)),
        )
        .route(PATH_SYNC, post(crate::resume::sync))
        .route(PATH_SYNC_UPLOAD, post(crate::resume::upload_status))
        .route(
            PATH_FINISH,
            post(device_api).layer(DefaultBodyLimit::max(SMALL_REQUEST)),
        )
        .route(PATH_RECONCILE, post(device_api))
        .route(
            PATH_KEYS,
            post(device_api).layer(DefaultBodyLimit::max(SMALL_REQUEST)),
        )
        .route(PATH_BUNDLE, post(device_api))
        .route("/healthz", get(|| async { "ok" }));
    if status_page {
        router = router
            .route("/", get(status))
            .route("/status.json", get(status_json));
    }
    router
        .layer(DefaultBodyLimit::max(MAX_REQUEST))
        .layer(axum::middleware::from_fn(crate::api::refuse_oversized))
        .with_state(hub)
        .merge(dashboard)
        .layer(axum::middleware::map_response(
            move |resp: axum::response::Response| security_headers(resp, tls),
        ))
        .layer(axum::middleware::from_fn(crate::api::traced))
}

/// Headers every answer carries (API, dashboard, errors): no content sniffing, no framing, no
/// referrer to other sites; under TLS, browsers are told to use HTTPS only (a year).
async fn security_headers(
    mut resp: axum::response::Response,
    tls: bool,
) -> axum::response::Response {
    use axum::http::HeaderValue;
    let h = resp.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.entry("x-frame-options")
        .or_insert(HeaderValue::from_static("DENY"));
    h.entry("referrer-policy")
        .or_insert(HeaderValue::from_static("same-origin"));
    if tls {
        h.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    resp
}

async fn api(
    State(hub): State<Arc<Hub>>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> axum::response::Response {
    match body {
        Ok(body) => answer(hub, uri.path().to_owned(), bearer(&headers), body).await,
        Err(rejection) => crate::api::body_refused(rejection),
    }
}

/// The largest body of a request made without a device's token (enrolment, a wipe report).
const SMALL_REQUEST: usize = 64 * 1024;

/// A request only an enrolled device makes: its token is checked before any of its body is
/// read, so a client without one cannot make the hub read (and hold) a large body.
async fn device_api(
    State(hub): State<Arc<Hub>>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let token = bearer(req.headers());
    if let Err(e) = crate::resume::device(&hub, token.clone()).await {
        return crate::api::reply(e.into_response(), crate::api::JSON);
    }
    let path = req.uri().path().to_owned();
    match axum::body::Bytes::from_request(req, &()).await {
        Ok(body) => answer(hub, path, token, body).await,
        Err(rejection) => crate::api::body_refused(rejection),
    }
}

async fn status_json(State(hub): State<Arc<Hub>>) -> impl IntoResponse {
    let report =
        tokio::task::spawn_blocking(move || crate::report::Report::collect(hub.store().as_ref()))
            .await;
    match report {
        Ok(Ok(r)) => (StatusCode::OK, axum::Json(r)).into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn status(State(hub): State<Arc<Hub>>) -> impl IntoResponse {
    let report =
        tokio::task::spawn_blocking(move || crate::report::Report::collect(hub.store().as_ref()))
            .await;
    match report {
        Ok(Ok(r)) => Html(r.to_html()).into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Loads a rustls server configuration from PEM certificate chain and key files.
pub fn tls_acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("certificate file: {e}"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("certificate file: {e}"))?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("key file: {e}"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("certificate and key: {e}"))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// How long a client may take to complete its TLS handshake (a slow 2G link takes seconds).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

/// A TCP listener that completes TLS handshakes before handing connections to axum. Handshakes
/// run concurrently, each in its own task: a client that stalls its handshake (or speaks plain
/// HTTP to the HTTPS port) holds up no one else.
struct TlsListener {
    ready: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    addr: SocketAddr,
}

impl TlsListener {
    fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> std::io::Result<Self> {
        let addr = tcp.local_addr()?;
        let (tx, ready) = tokio::sync::mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    // The server stopped: release the port.
                    _ = tx.closed() => return,
                    a = tcp.accept() => a,
                };
                let (stream, peer) = match accepted {
                    Ok(s) => s,
                    Err(_) => {
                        // Out of file descriptors and the like: wait a little, keep serving.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                    {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(Self { ready, addr })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accepting task ended (only when the server stops): accept nothing more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.addr)
    }
}

impl Connected<IncomingStream<'_, Limited<TcpListener>>> for ClientAddr {
    fn connect_info(stream: IncomingStream<'_, Limited<TcpListener>>) -> Self {
        ClientAddr(*stream.remote_addr())
    }
}

impl Connected<IncomingStream<'_, Limited<TlsListener>>> for ClientAddr {
    fn connect_info(stream: IncomingStream<'_, Limited<TlsListener>>) -> Self {
        ClientAddr(*stream.remote_addr())
    }
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    hub: Arc<Hub>,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    status_page: bool,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = hub.config().connections;
    let app =
        app(hub, status_page, tls.is_some()).into_make_service_with_connect_info::<ClientAddr>();
    match tls {
        None => {
            axum::serve(Limited::new(listener, limits), app)
                .with_graceful_shutdown(shutdown)
                .await
        }
        Some(acceptor) => {
            axum::serve(
                Limited::new(TlsListener::new(listener, acceptor)?, limits),
                app,
            )
            .with_graceful_shutdown(shutdown)
            .await
        }
    }
}

/// A hub served on its own thread and runtime; stops when [`RunningHub::stop`] is called or
/// when dropped. For tests and the demo.
pub struct RunningHub {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningHub {
    /// Binds `addr` (use port 0 for any free port) and serves `hub` there.
    pub fn start(
        hub: Arc<Hub>,
        addr: &str,
        tls: Option<TlsAcceptor>,
        status_page: bool,
    ) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let std_listener = std::net::TcpListener::bind(addr)?;
        std_listener.set_nonblocking(true)?;
        let local = std_listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("gocua-hub".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(std_listener).expect("listener");
                    let shutdown = async move {
                        let _ = rx.await;
                    };
                    if let Err(e) = serve(hub, listener, tls, status_page, shutdown).await {
                        tracing::error!(error = %e, "server stopped");
                    }
                });
                runtime.shutdown_timeout(Duration::from_secs(5));
            })?;
        Ok(Self {
            addr: local,
            stop: Some(tx),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningHub {
    fn drop(&mut self) {
        self.shutdown();
    }
}
