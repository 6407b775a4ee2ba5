//! A TCP proxy on 127.0.0.1 for the network tests: it counts the bytes each way and does to
//! each connection what a [`Plan`] says (drop it after some bytes, truncate or stall the answer).

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy)]
pub enum Plan {
    Pass,
    /// Reset both ways after this many bytes from the device.
    DropUp(usize),
    /// Reset both ways after this many bytes from the hub.
    DropDown(usize),
    /// Forward this many bytes of the hub's answer, then end it cleanly (FIN).
    Truncate(usize),
    /// Hold the hub's answer this long, then pass.
    Stall(Duration),
}

/// Bytes forwarded each way.
#[derive(Debug, Default)]
struct Counters {
    up: AtomicUsize,
    down: AtomicUsize,
}

pub struct Proxy {
    pub addr: SocketAddr,
    upstream: Arc<Mutex<SocketAddr>>,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    counters: Arc<Counters>,
    thread: Option<JoinHandle<()>>,
}

/// Every blocking read or write of the proxy gives up after this (nothing waits forever).
const IO_LIMIT: Duration = Duration::from_secs(10);

impl Proxy {
    /// Forwards to `upstream`; `plan` decides each new connection's fate.
    pub fn start(upstream: SocketAddr, mut plan: impl FnMut() -> Plan + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let upstream = Arc::new(Mutex::new(upstream));
        let stop = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let counters = Arc::new(Counters::default());
        let (up, st, acc, cnt) = (
            upstream.clone(),
            stop.clone(),
            accepted.clone(),
            counters.clone(),
        );
        let thread = std::thread::spawn(move || {
            let mut workers: Vec<JoinHandle<()>> = Vec::new();
            // Bounded: stops when told, or after 10 minutes whatever happens.
            let deadline = Instant::now() + Duration::from_secs(600);
            while !st.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((client, _)) => {
                        acc.fetch_add(1, Ordering::SeqCst);
                        let p = plan();
                        let target = *up.lock().unwrap();
                        let cnt = cnt.clone();
                        workers.push(std::thread::spawn(move || serve(client, target, p, cnt)));
                        workers.retain(|w| !w.is_finished());
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
            for w in workers {
                let _ = w.join();
            }
        });
        Self {
            addr,
            upstream,
            stop,
            accepted,
            counters,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends new connections to another upstream (a restarted hub).
    pub fn redirect(&self, upstream: SocketAddr) {
        *self.upstream.lock().unwrap() = upstream;
    }

    /// Bytes forwarded so far: (device to hub, hub to device).
    pub fn bytes(&self) -> (usize, usize) {
        (
            self.counters.up.load(Ordering::SeqCst),
            self.counters.down.load(Ordering::SeqCst),
        )
    }

    /// Stops; returns how many connections it accepted.
    pub fn stop(mut self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        self.accepted.load(Ordering::SeqCst)
    }
}

fn serve(client: TcpStream, target: SocketAddr, plan: Plan, counters: Arc<Counters>) {
    let Ok(server) = TcpStream::connect_timeout(&target, IO_LIMIT) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    for s in [&client, &server] {
        let _ = s.set_read_timeout(Some(IO_LIMIT));
        let _ = s.set_write_timeout(Some(IO_LIMIT));
        let _ = s.set_nodelay(true);
    }
    let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let (up_limit, down_limit, clean_end, stall) = match plan {
        Plan::Pass => (None, None, false, None),
        Plan::DropUp(n) => (Some(n), None, false, None),
        Plan::DropDown(n) => (None, Some(n), false, None),
        Plan::Truncate(n) => (None, Some(n), true, None),
        Plan::Stall(d) => (None, None, false, Some(d)),
    };
    let up_counter = counters.clone();
    let up = std::thread::spawn(move || pipe(c2, s2, up_limit, false, None, &up_counter.up));
    pipe(server, client, down_limit, clean_end, stall, &counters.down);
    let _ = up.join();
}

/// Copies `from` to `to` until either ends, or until `limit` bytes (then cuts the connection:
/// both ways, or only towards `to` with a clean end when `clean_end`).
fn pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    limit: Option<usize>,
    clean_end: bool,
    stall: Option<Duration>,
    counter: &AtomicUsize,
) {
    let mut buf = [0u8; 4096];
    let mut sent = 0usize;
    let mut stalled = false;
    // Bounded: no test sends this much through one connection.
    for _ in 0..100_000 {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(d) = stall
            && !stalled
        {
            stalled = true;
            std::thread::sleep(d);
        }
        let allowed = limit.map_or(n, |l| n.min(l - sent));
        if allowed > 0 && to.write_all(&buf[..allowed]).is_err() {
            break;
        }
        counter.fetch_add(allowed, Ordering::SeqCst);
        sent += allowed;
        if limit.is_some_and(|l| sent >= l) {
            if clean_end {
                let _ = to.shutdown(Shutdown::Write);
                let _ = from.shutdown(Shutdown::Both);
            } else {
                let _ = to.shutdown(Shutdown::Both);
                let _ = from.shutdown(Shutdown::Both);
            }
            return;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}
