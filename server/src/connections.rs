//! Connection hygiene (issue 16): a cap on the connections the hub holds at once, and rules that
//! close a connection that holds its place without doing a request's work. Without them, anyone
//! who reached the port could hold connections that never finish their headers or body, or sit
//! idle, until the hub ran out of file descriptors and `/healthz` timed out (1,100 such
//! connections at the common limit of 1,024).
//!
//! - At most `max_connections` are open. When all are taken, the connection that has waited
//!   longest for its request's headers, or else the one idle longest between requests, is closed
//!   to make room: a flood of stalled clients past the cap cannot keep a phone out, since the
//!   phone's request, once in, is never the one chosen (a request whose headers are in is only
//!   closed by the rules below). If every connection is working, new ones wait in the kernel's
//!   backlog (no file descriptor, no memory of the hub's) until one closes.
//! - A connection on which nothing arrives or leaves for `idle_timeout` is closed: a keep-alive
//!   connection left open, a request that stalls.
//! - A request's header block must be complete within `header_timeout` of its first byte, and
//!   while a request (its headers, then the body its `Content-Length` announces) is arriving, at
//!   least `min_request_bytes` must arrive in every `rate_window`: a client that trickles a byte
//!   now and then, which the idle rule alone lets live for ever, is closed. The floor (1 KiB per
//!   30 s, 34 B/s) is a hundredth of a GPRS link's, so a slow but moving phone is never cut.
//!   Once the announced body is in, the hub may compute for as long as it needs.
//!
//! The request's framing is read from the bytes (HTTP/1.1, as phones and browsers send it: the
//! hub offers no other protocol); a body without `Content-Length` (chunked) is held to the rate
//! until the answer starts.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::task::Waker;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// What a listener lets in.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub idle_timeout: Duration,
    pub header_timeout: Duration,
    pub min_request_bytes: u64,
    pub rate_window: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            // Under the usual limit of 1,024 open files, with room for the database and logs.
            max_connections: 768,
            // A phone on EDGE moves bytes every few seconds; two minutes of silence in both
            // directions is a dead link or a client that holds the connection on purpose.
            idle_timeout: Duration::from_secs(120),
            // A phone's request headers are a few hundred bytes: seconds even on GPRS.
            header_timeout: Duration::from_secs(30),
            min_request_bytes: 1024,
            rate_window: Duration::from_secs(30),
        }
    }
}

/// A listener that holds at most `max_connections` at once, each closed after `idle_timeout`
/// without traffic.
pub struct Limited<L> {
    inner: L,
    permits: Arc<Semaphore>,
    limits: ConnectionLimits,
    open: Arc<Open>,
}

impl<L> Limited<L> {
    pub fn new(inner: L, limits: ConnectionLimits) -> Self {
        Self {
            inner,
            permits: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            limits,
            open: Arc::default(),
        }
    }
}

/// What a connection shows the listener: where its request is, since when, and a way to close it.
#[derive(Default)]
struct Shown {
    /// [`PHASE_IDLE`], [`PHASE_HEAD`] or [`PHASE_WORKING`].
    phase: AtomicU8,
    /// Milliseconds since the listener started, when the phase began.
    since_ms: AtomicU64,
    evict: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

/// How long the listener waits for an evicted connection to close before choosing another.
const EVICT_AGAIN: Duration = Duration::from_secs(1);

const PHASE_IDLE: u8 = 0;
const PHASE_HEAD: u8 = 1;
const PHASE_WORKING: u8 = 2;

/// The open connections, for choosing one to close when all places are taken.
struct Open {
    started: std::time::Instant,
    next: AtomicU64,
    shown: Mutex<HashMap<u64, Arc<Shown>>>,
}

impl Default for Open {
    fn default() -> Self {
        Self {
            started: std::time::Instant::now(),
            next: AtomicU64::new(0),
            shown: Mutex::default(),
        }
    }
}

impl Open {
    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Closes the connection stalled longest in its headers, or else idle longest; false when
    /// every connection is working on a request.
    fn evict_one(&self) -> bool {
        let shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        let victim = shown
            .values()
            .filter(|c| !c.evict.load(Ordering::SeqCst))
            .filter_map(|c| {
                let rank = match c.phase.load(Ordering::SeqCst) {
                    PHASE_HEAD => 0,
                    PHASE_IDLE => 1,
                    _ => return None,
                };
                Some(((rank, c.since_ms.load(Ordering::SeqCst)), c))
            })
            .min_by_key(|(key, _)| *key)
            .map(|(_, c)| c.clone());
        drop(shown);
        match victim {
            Some(c) => {
                c.evict.store(true, Ordering::SeqCst);
                if let Some(w) = c.waker.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    w.wake();
                }
                true
            }
            None => false,
        }
    }
}

impl<L: axum::serve::Listener> axum::serve::Listener for Limited<L> {
    type Io = Idle<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // A free place before the next connection is taken from the backlog: when none is
        // free, a stalled or idle connection is closed to make one, or else the listener waits
        // for one to close. The semaphore is never closed, so acquiring cannot fail.
        let permit = loop {
            if let Ok(p) = self.permits.clone().try_acquire_owned() {
                break p;
            }
            // A connection chosen may have started working meanwhile and keeps its place: choose
            // again after a while rather than wait for ever.
            self.open.evict_one();
            match tokio::time::timeout(EVICT_AGAIN, self.permits.clone().acquire_owned()).await {
                Ok(Ok(p)) => break p,
                Ok(Err(_)) => std::future::pending().await,
                Err(_) => continue,
            }
        };
        let (io, addr) = self.inner.accept().await;
        let id = self.open.next.fetch_add(1, Ordering::SeqCst);
        let shown = Arc::new(Shown::default());
        shown.since_ms.store(self.open.now_ms(), Ordering::SeqCst);
        self.open
            .shown
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, shown.clone());
        let place = Place {
            _permit: permit,
            id,
            shown,
            open: self.open.clone(),
        };
        (Idle::new(io, self.limits, place), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A connection's place: its permit, and its entry among the open connections, both given back
/// when the connection is dropped.
struct Place {
    _permit: OwnedSemaphorePermit,
    id: u64,
    shown: Arc<Shown>,
    open: Arc<Open>,
}

impl Place {
    fn show(&self, phase: u8) {
        if self.shown.phase.swap(phase, Ordering::SeqCst) != phase {
            self.shown
                .since_ms
                .store(self.open.now_ms(), Ordering::SeqCst);
        }
    }

    /// Called when the connection's read or write must wait: an eviction wakes it.
    fn wait(&self, cx: &Context<'_>) {
        *self.shown.waker.lock().unwrap_or_else(|p| p.into_inner()) = Some(cx.waker().clone());
    }

    fn evicted(&self) -> bool {
        self.shown.evict.load(Ordering::SeqCst)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        self.open
            .shown
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.id);
    }
}

/// The most of a request's header block kept to read its `Content-Length` (hyper refuses far
/// larger blocks anyway); beyond it the body's length counts as unknown.
const HEAD_KEPT: usize = 16 * 1024;

/// Where the connection is in its current request, as read from the bytes.
enum Request {
    /// Between requests: only the idle rule applies.
    Between,
    /// Whole, and being answered: the hub computes as long as it needs.
    Answering,
    /// Its header block is arriving, since `since`.
    Head { since: Instant, head: Vec<u8> },
    /// Its body is arriving: `left` bytes more, or `None` when its length is not announced.
    Body { left: Option<u64> },
}

/// A connection that fails its pending read or write when one of the module's rules is broken,
/// and gives its place back when dropped.
pub struct Idle<T> {
    io: T,
    limits: ConnectionLimits,
    timer: Pin<Box<Sleep>>,
    last_progress: Instant,
    request: Request,
    /// The current rate window of a request: when it began, and the bytes that arrived in it.
    window: (Instant, u64),
    place: Place,
}

impl<T> Idle<T> {
    fn new(io: T, limits: ConnectionLimits, place: Place) -> Self {
        let now = Instant::now();
        Self {
            io,
            limits,
            timer: Box::pin(tokio::time::sleep(limits.idle_timeout)),
            last_progress: now,
            request: Request::Between,
            window: (now, 0),
            place,
        }
    }

    /// Tells the listener where the request is now.
    fn show(&self) {
        self.place.show(match self.request {
            Request::Between => PHASE_IDLE,
            Request::Head { .. } => PHASE_HEAD,
            Request::Body { .. } | Request::Answering => PHASE_WORKING,
        });
    }

    /// Bytes of the request arrived: its framing moves on.
    fn received(&mut self, mut data: &[u8]) {
        let now = Instant::now();
        self.last_progress = now;
        while !data.is_empty() {
            match &mut self.request {
                Request::Between | Request::Answering => {
                    self.request = Request::Head {
                        since: now,
                        head: Vec::new(),
                    };
                    self.window = (now, 0);
                }
                Request::Head { head, .. } => {
                    let take = data.len().min(HEAD_KEPT - head.len());
                    let scanned_from = head.len().saturating_sub(3);
                    head.extend_from_slice(&data[..take]);
                    self.window.1 += take as u64;
                    let end = head[scanned_from..]
                        .windows(4)
                        .position(|w| w == b"\r\n\r\n")
                        .map(|i| scanned_from + i + 4);
                    if let Some(end) = end {
                        // What follows the header block is the body's first bytes.
                        let of_head = take - (head.len() - end);
                        self.request = body_of(&head[..end]);
                        self.window = (now, 0);
                        data = &data[of_head..];
                    } else {
                        if head.len() >= HEAD_KEPT {
                            // Too long to keep: its body's length is unknown.
                            self.request = Request::Body { left: None };
                        }
                        data = &data[take..];
                    }
                }
                Request::Body { left } => {
                    self.window.1 += data.len() as u64;
                    if let Some(left) = left {
                        *left -= (data.len() as u64).min(*left);
                        if *left == 0 {
                            // The announced body is in: the hub computes as long as it needs.
                            self.request = Request::Answering;
                        }
                    }
                    data = &[];
                }
            }
        }
        self.show();
    }

    /// Bytes of an answer left: the request is answered, and the next one starts with its first
    /// byte; but an interim answer (`100 Continue`) leaves an announced body still to come.
    fn sent(&mut self) {
        self.last_progress = Instant::now();
        if !matches!(self.request, Request::Body { left: Some(1..) }) {
            self.request = Request::Between;
        }
        self.show();
    }

    /// `Pending` while every rule holds, then the error that closes the connection.
    fn expired(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        // Chosen to make room, unless it started working on a request since.
        let working = matches!(self.request, Request::Body { .. } | Request::Answering);
        if self.place.evicted() && !working {
            return Poll::Ready(io::Error::new(
                io::ErrorKind::TimedOut,
                "closed to make room for a working connection",
            ));
        }
        self.place.wait(cx);
        loop {
            let idle = self.last_progress + self.limits.idle_timeout;
            let (head, rate) = match &self.request {
                Request::Between | Request::Answering => (None, None),
                Request::Head { since, .. } => (
                    Some(*since + self.limits.header_timeout),
                    Some(self.window.0 + self.limits.rate_window),
                ),
                Request::Body { .. } => (None, Some(self.window.0 + self.limits.rate_window)),
            };
            let next = [Some(idle), head, rate]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(idle);
            if self.timer.deadline() != next {
                self.timer.as_mut().reset(next);
            }
            if self.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let now = Instant::now();
            let broken = if now >= idle {
                Some("connection idle too long")
            } else if head.is_some_and(|h| now >= h) {
                Some("request headers too slow")
            } else if rate.is_some_and(|r| now >= r) {
                if self.window.1 < self.limits.min_request_bytes {
                    Some("request arriving too slowly")
                } else {
                    self.window = (now, 0);
                    None
                }
            } else {
                None
            };
            if let Some(why) = broken {
                return Poll::Ready(io::Error::new(io::ErrorKind::TimedOut, why));
            }
        }
    }
}

/// What follows a request's header block: a body of its `Content-Length`, one of unknown length
/// (`Transfer-Encoding`, or a length that does not parse), or none.
fn body_of(head: &[u8]) -> Request {
    let text = String::from_utf8_lossy(head);
    let mut length = None;
    for line in text.split("\r\n").skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return Request::Body { left: None };
        }
        if name.eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<u64>() {
                Ok(n) => length = Some(n),
                Err(_) => return Request::Body { left: None },
            }
        }
    }
    match length {
        None | Some(0) => Request::Answering,
        left => Request::Body { left },
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Idle<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    let this = &mut *self;
                    this.received(&buf.filled()[before..]);
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.expired(cx).map(Err),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Idle<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.io).poll_write(cx, data) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    self.sent();
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.expired(cx).map(Err),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.io).poll_flush(cx) {
            Poll::Pending => self.expired(cx).map(Err),
            ready => ready,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.io).poll_write_vectored(cx, bufs) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    self.sent();
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.expired(cx).map(Err),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(open: &Arc<Open>, id: u64) -> Place {
        let shown = Arc::new(Shown::default());
        open.shown.lock().unwrap().insert(id, shown.clone());
        Place {
            _permit: Arc::new(Semaphore::new(1)).try_acquire_owned().unwrap(),
            id,
            shown,
            open: open.clone(),
        }
    }

    fn idle() -> Idle<tokio::io::Empty> {
        let open = Arc::new(Open::default());
        Idle::new(
            tokio::io::empty(),
            ConnectionLimits::default(),
            place(&open, 0),
        )
    }

    fn phase(c: &Idle<tokio::io::Empty>) -> String {
        match &c.request {
            Request::Between => "between".into(),
            Request::Answering => "answering".into(),
            Request::Head { .. } => "head".into(),
            Request::Body { left } => format!("body {left:?}"),
        }
    }

    #[tokio::test]
    async fn a_request_is_followed_through_its_header_block_and_announced_body() {
        let mut c = idle();
        // A GET: no body, answered at once.
        c.received(b"GET /healthz HTTP/1.1\r\nHost: h\r");
        assert_eq!(phase(&c), "head");
        c.received(b"\n\r");
        assert_eq!(phase(&c), "head", "the end of the block split across reads");
        c.received(b"\n");
        assert_eq!(phase(&c), "answering");
        c.sent();
        assert_eq!(phase(&c), "between");
        // A POST whose header block and first body bytes come in one read.
        c.received(b"POST /v1/sync HTTP/1.1\r\ncontent-LENGTH: 10\r\n\r\n1234");
        assert_eq!(phase(&c), "body Some(6)");
        c.sent();
        assert_eq!(phase(&c), "body Some(6)", "an interim 100 Continue");
        c.received(b"567890");
        assert_eq!(phase(&c), "answering", "the announced body is in");
        // A chunked body, or a length that does not parse: unknown, held to the rate.
        c.received(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello");
        assert_eq!(phase(&c), "body None");
        c.sent();
        assert_eq!(phase(&c), "between");
        c.received(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n");
        assert_eq!(phase(&c), "body None");
    }

    #[tokio::test]
    async fn an_endless_header_block_counts_as_a_body_of_unknown_length() {
        let mut c = idle();
        c.received(b"GET / HTTP/1.1\r\n");
        for _ in 0..HEAD_KEPT / 10 + 1 {
            c.received(b"X-Pad: 12\n");
        }
        assert_eq!(phase(&c), "body None");
    }

    #[tokio::test]
    async fn the_connection_stalled_longest_in_its_headers_is_closed_first_never_a_working_one() {
        let open = Arc::new(Open::default());
        let limits = ConnectionLimits::default();
        let mut working = Idle::new(tokio::io::empty(), limits, place(&open, 1));
        working.received(b"POST /v1/sync HTTP/1.1\r\nContent-Length: 4\r\n\r\nab");
        let mut idle_one = Idle::new(tokio::io::empty(), limits, place(&open, 2));
        idle_one.received(b"GET / HTTP/1.1\r\n\r\n");
        idle_one.sent();
        let mut stalled = Idle::new(tokio::io::empty(), limits, place(&open, 3));
        stalled.received(b"POST /v1/sync HT");
        std::thread::sleep(Duration::from_millis(5));
        let mut later = Idle::new(tokio::io::empty(), limits, place(&open, 4));
        later.received(b"GET /heal");

        assert!(open.evict_one());
        assert!(
            stalled.place.evicted(),
            "the oldest in its headers goes first"
        );
        assert!(open.evict_one());
        assert!(later.place.evicted());
        assert!(open.evict_one());
        assert!(idle_one.place.evicted(), "then the idle one");
        assert!(!open.evict_one(), "a working connection is never chosen");
        assert!(!working.place.evicted());
        drop(stalled);
        assert_eq!(
            open.shown.lock().unwrap().len(),
            3,
            "a closed connection leaves the list"
        );
    }

    #[tokio::test]
    async fn a_connection_chosen_while_idle_that_started_working_keeps_its_place() {
        let open = Arc::new(Open::default());
        let mut c = Idle::new(
            tokio::io::empty(),
            ConnectionLimits::default(),
            place(&open, 1),
        );
        assert!(open.evict_one());
        c.received(b"POST /v1/sync HTTP/1.1\r\nContent-Length: 100\r\n\r\n");
        let mut cx = Context::from_waker(std::task::Waker::noop());
        assert!(
            c.expired(&mut cx).is_pending(),
            "closed while its body arrives"
        );
        c.received(&[0u8; 100]);
        assert!(c.expired(&mut cx).is_pending(), "closed while answered");
        c.sent();
        assert!(
            c.expired(&mut cx).is_ready(),
            "idle again: the eviction holds"
        );
    }
}
