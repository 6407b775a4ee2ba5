//! How sync requests reach the hub: a [`Transport`] trait, its HTTP implementation (reqwest,
//! blocking, rustls with optional certificate pinning) and an in-process one for tests.

use std::sync::Arc;
use std::time::Duration;

use super::error::SyncError;
use super::wire::sha256_hex;

/// An answer of the hub: status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Sends one request and returns the answer. Implementations must not retry on their own: the
/// sync decides what is safe to resend.
pub trait Transport: Send + Sync {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError>;

    /// Whether a request cut on the way can be resumed: only over a network (a hub in the same
    /// process never loses half a request).
    fn resumable(&self) -> bool {
        false
    }

    /// Like [`Transport::post`], but appends the answer's body to `answer` as it arrives, so that
    /// what arrived before a cut is kept (then the error is `Interrupted`). Returns the status.
    fn post_into(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
        answer: &mut Vec<u8>,
    ) -> Result<u16, SyncError> {
        let resp = self.post(path, token, content_type, body)?;
        answer.extend_from_slice(&resp.body);
        Ok(resp.status)
    }
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        (**self).post(path, token, content_type, body)
    }

    fn resumable(&self) -> bool {
        (**self).resumable()
    }

    fn post_into(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
        answer: &mut Vec<u8>,
    ) -> Result<u16, SyncError> {
        (**self).post_into(path, token, content_type, body, answer)
    }
}

/// How the device checks the hub's certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// SHA-256 (hex) of the hub's certificate (DER). When set, only that certificate is accepted,
    /// self-signed or not: for a commune hub with its own certificate.
    pub pin_sha256: Option<String>,
    /// A PEM certificate to trust as a root besides the public web roots.
    pub extra_root_pem: Option<Vec<u8>>,
}

/// The HTTP(S) transport. Blocking: call it from a background thread, never from inside an
/// async runtime.
pub struct HttpTransport {
    base: String,
    client: reqwest::blocking::Client,
}

impl HttpTransport {
    pub fn new(base_url: &str, tls: &TlsOptions, timeout: Duration) -> Result<Self, SyncError> {
        let base = base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SyncError::BadHubAddress);
        }
        let mut builder = reqwest::blocking::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(20))
            .no_proxy();
        if let Some(pin) = &tls.pin_sha256 {
            builder = builder.use_preconfigured_tls(pinned_config(pin)?);
        } else if let Some(pem) = &tls.extra_root_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| SyncError::Network(format!("certificate: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder
            .build()
            .map_err(|e| SyncError::Network(e.to_string()))?;
        Ok(Self { base, client })
    }
}

impl HttpTransport {
    fn send(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<reqwest::blocking::Response, SyncError> {
        let mut req = self
            .client
            .post(format!("{}{}", self.base, path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().map_err(map_reqwest)
    }
}

impl Transport for HttpTransport {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        let resp = self.send(path, token, content_type, body)?;
        let status = resp.status().as_u16();
        let body = resp.bytes().map_err(map_reqwest)?.to_vec();
        Ok(Response { status, body })
    }

    fn resumable(&self) -> bool {
        true
    }

    fn post_into(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
        answer: &mut Vec<u8>,
    ) -> Result<u16, SyncError> {
        use std::io::Read;
        let mut resp = self.send(path, token, content_type, body)?;
        let status = resp.status().as_u16();
        let mut buf = [0u8; 16 * 1024];
        // Bounded by the answer's length (the hub's answers are at most a few MiB) and the
        // client's timeout; a read error keeps what arrived.
        loop {
            match resp.read(&mut buf) {
                Ok(0) => return Ok(status),
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(SyncError::Interrupted(
                        if e.kind() == std::io::ErrorKind::TimedOut {
                            "timeout".into()
                        } else {
                            "answer cut".into()
                        },
                    ));
                }
            }
        }
    }
}

fn map_reqwest(e: reqwest::Error) -> SyncError {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    if text.contains(PIN_MISMATCH) {
        return SyncError::CertificateMismatch;
    }
    if text.contains("invalid peer certificate") {
        // A hub with its own (self-signed) certificate, reached without its pin.
        return SyncError::Network(
            "chứng chỉ máy chủ không được tin cậy (tự ký?): ghép lại với mã ghim SHA-256 của chứng chỉ / \
             the hub's certificate is not trusted (self-signed?): enrol with its SHA-256 pin"
                .into(),
        );
    }
    if text.contains("invalid HTTP version") {
        // Plain HTTP to a port that speaks TLS (or another protocol).
        return SyncError::Network(
            "máy chủ không trả lời bằng HTTP thường: địa chỉ có cần bắt đầu bằng https:// không? / \
             the hub did not answer plain HTTP: should the address start with https://?"
                .into(),
        );
    }
    // The URL may hold nothing personal, but keep messages short and stable.
    if e.is_connect() {
        // The hub was never reached: retrying at once would fail the same way.
        return SyncError::Network("connection failed".into());
    }
    // The hub was reached and the exchange was lost on the way: a smaller request may pass.
    SyncError::Interrupted(if e.is_timeout() {
        "timeout".into()
    } else {
        text
    })
}

const PIN_MISMATCH: &str = "gocua certificate pin mismatch";

fn pinned_config(pin: &str) -> Result<rustls::ClientConfig, SyncError> {
    let pin = pin.trim().to_ascii_lowercase().replace(':', "");
    if pin.len() != 64 || !pin.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SyncError::BadPin);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| SyncError::Network(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinVerifier { pin, provider }))
        .with_no_client_auth();
    Ok(config)
}

/// Accepts exactly the pinned certificate; handshake signatures are still verified with it.
#[derive(Debug)]
struct PinVerifier {
    pin: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl rustls::client::danger::ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if sha256_hex(end_entity.as_ref()) == self.pin {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(PIN_MISMATCH.into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The handler an in-process hub exposes: (path, bearer token, body) -> answer.
pub type Handler = dyn Fn(&str, Option<&str>, &[u8]) -> Response + Send + Sync;

/// Calls a hub in the same process, with no network: for tests and the demo.
#[derive(Clone)]
pub struct InProcess {
    handler: Arc<Handler>,
}

impl InProcess {
    pub fn new(handler: Arc<Handler>) -> Self {
        Self { handler }
    }
}

impl Transport for InProcess {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        _content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        Ok((self.handler)(path, token, &body))
    }
}
