//! A TCP proxy on 127.0.0.1 that counts bytes, connections and turns, and shapes the link:
//! a rate per direction (shared by all connections, as one radio link), a round-trip delay, and
//! optionally a cut of every connection after a number of bytes.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Connections one proxy accepts at most (every loop is bounded).
const MAX_CONNECTIONS: usize = 20_000;
/// Bytes read at once: small enough that a slow link delivers in small steps.
const CHUNK: usize = 4096;
/// Chunks a link holds on their way (16 KiB each way).
const IN_FLIGHT_CHUNKS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub name: &'static str,
    /// Bits per second each way; 0 = unlimited.
    pub bits_per_sec: u64,
    pub rtt: Duration,
    /// Cut a connection once this many bytes (both ways) went through it.
    pub cut_every: Option<u64>,
}

pub const LOOPBACK: Shape = Shape {
    name: "loopback",
    bits_per_sec: 0,
    rtt: Duration::ZERO,
    cut_every: None,
};
pub const THREE_G: Shape = Shape {
    name: "3G",
    bits_per_sec: 1_000_000,
    rtt: Duration::from_millis(150),
    cut_every: None,
};
pub const EDGE: Shape = Shape {
    name: "EDGE",
    bits_per_sec: 50_000,
    rtt: Duration::from_millis(600),
    cut_every: None,
};
pub const FLAKY: Shape = Shape {
    name: "flaky",
    bits_per_sec: 0,
    rtt: Duration::ZERO,
    cut_every: Some(64 * 1024),
};

#[derive(Debug, Default)]
pub struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
    /// Client-to-server turns: a request (or a burst of them) after silence or an answer.
    requests: AtomicU64,
    /// Server-to-client turns after a client turn: round trips.
    round_trips: AtomicU64,
    cuts: AtomicU64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Counts {
    pub up: u64,
    pub down: u64,
    pub connections: u64,
    pub requests: u64,
    pub round_trips: u64,
    pub cuts: u64,
}

impl Counts {
    pub fn since(&self, before: &Counts) -> Counts {
        Counts {
            up: self.up - before.up,
            down: self.down - before.down,
            connections: self.connections - before.connections,
            requests: self.requests - before.requests,
            round_trips: self.round_trips - before.round_trips,
            cuts: self.cuts - before.cuts,
        }
    }
    pub fn total(&self) -> u64 {
        self.up + self.down
    }
}

struct Link {
    shape: Mutex<Shape>,
    /// When each direction's link is free again (0 up, 1 down).
    free_at: [Mutex<Instant>; 2],
}

pub struct Proxy {
    pub addr: SocketAddr,
    counters: Arc<Counters>,
    link: Arc<Link>,
    stop: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    /// Listens on 127.0.0.1 (any free port) and forwards to `target`.
    pub fn start(target: SocketAddr, shape: Shape) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let link = Arc::new(Link {
            shape: Mutex::new(shape),
            free_at: [Mutex::new(Instant::now()), Mutex::new(Instant::now())],
        });
        let stop = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (c, l, s, o) = (counters.clone(), link.clone(), stop.clone(), open.clone());
        let thread = std::thread::Builder::new()
            .name("bench-proxy".into())
            .spawn(move || {
                for client in listener.incoming().take(MAX_CONNECTIONS) {
                    if s.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    let Ok(server) = TcpStream::connect(target) else {
                        let _ = client.shutdown(Shutdown::Both);
                        continue;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    c.connections.fetch_add(1, Ordering::SeqCst);
                    if let (Ok(a), Ok(b)) = (client.try_clone(), server.try_clone()) {
                        let mut open = o.lock().unwrap();
                        open.push(a);
                        open.push(b);
                    }
                    connection(client, server, c.clone(), l.clone());
                }
            })?;
        Ok(Proxy {
            addr,
            counters,
            link,
            stop,
            open,
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_shape(&self, shape: Shape) {
        *self.link.shape.lock().unwrap() = shape;
    }

    /// Closes every open connection (as a phone moving out of coverage); new ones are accepted.
    pub fn drop_connections(&self) {
        for s in self.open.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    pub fn counts(&self) -> Counts {
        let c = &self.counters;
        Counts {
            up: c.up.load(Ordering::SeqCst),
            down: c.down.load(Ordering::SeqCst),
            connections: c.connections.load(Ordering::SeqCst),
            requests: c.requests.load(Ordering::SeqCst),
            round_trips: c.round_trips.load(Ordering::SeqCst),
            cuts: c.cuts.load(Ordering::SeqCst),
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.drop_connections();
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Conn {
    bytes: AtomicU64,
    /// 0 none yet, 1 up, 2 down: the direction data last went.
    last: AtomicU8,
    cut: AtomicBool,
}

fn connection(client: TcpStream, server: TcpStream, counters: Arc<Counters>, link: Arc<Link>) {
    let conn = Arc::new(Conn {
        bytes: AtomicU64::new(0),
        last: AtomicU8::new(0),
        cut: AtomicBool::new(false),
    });
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    for (from, to, dir) in [(client, server, 0usize), (s2, c2, 1usize)] {
        let (counters, link, conn) = (counters.clone(), link.clone(), conn.clone());
        let _ = std::thread::Builder::new()
            .name("bench-proxy-conn".into())
            .spawn(move || pump(from, to, dir, &counters, &link, &conn));
    }
}

/// Moves one direction: a reader (this thread) stamps each chunk with its delivery time on the
/// shaped link; a writer thread delivers it then.
fn pump(
    mut from: TcpStream,
    to: TcpStream,
    dir: usize,
    counters: &Counters,
    link: &Link,
    conn: &Conn,
) {
    // Bounded, as a real link's buffer is: the sender waits when it is full (TCP's flow control),
    // and a cut loses at most what it holds. Unbounded, a sender on loopback handed the proxy the
    // whole 64 KiB before the receiver had read any of it, and a cut lost all of it.
    let (tx, rx) = mpsc::sync_channel::<Option<(Instant, Vec<u8>)>>(IN_FLIGHT_CHUNKS);
    let mut writer_to = match to.try_clone() {
        Ok(t) => t,
        Err(_) => return,
    };
    let writer = std::thread::Builder::new()
        .name("bench-proxy-write".into())
        .spawn(move || {
            while let Ok(Some((at, data))) = rx.recv() {
                let now = Instant::now();
                if at > now {
                    std::thread::sleep(at - now);
                }
                if writer_to.write_all(&data).is_err() {
                    break;
                }
            }
            let _ = writer_to.shutdown(Shutdown::Write);
        });
    let mut buf = vec![0u8; CHUNK];
    // Bounded: a connection moves at most 4 GiB.
    let mut moved: u64 = 0;
    while moved < (4u64 << 30) {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if conn.cut.load(Ordering::SeqCst) {
            break;
        }
        let shape = *link.shape.lock().unwrap();
        let mut n = n as u64;
        let mut cut = false;
        if let Some(limit) = shape.cut_every {
            let before = conn.bytes.fetch_add(n, Ordering::SeqCst);
            if before + n >= limit {
                n = limit.saturating_sub(before);
                cut = true;
            }
        } else {
            conn.bytes.fetch_add(n, Ordering::SeqCst);
        }
        moved += n;
        if n > 0 {
            let now_dir = dir as u8 + 1;
            let prev = conn.last.swap(now_dir, Ordering::SeqCst);
            if prev != now_dir {
                if dir == 0 {
                    counters.requests.fetch_add(1, Ordering::SeqCst);
                } else if prev == 1 {
                    counters.round_trips.fetch_add(1, Ordering::SeqCst);
                }
            }
            let counter = if dir == 0 {
                &counters.up
            } else {
                &counters.down
            };
            counter.fetch_add(n, Ordering::SeqCst);
            let now = Instant::now();
            let deliver = {
                let mut free = link.free_at[dir].lock().unwrap();
                let start = (*free).max(now);
                let tx_time = if shape.bits_per_sec == 0 {
                    Duration::ZERO
                } else {
                    Duration::from_secs_f64(n as f64 * 8.0 / shape.bits_per_sec as f64)
                };
                *free = start + tx_time;
                *free + shape.rtt / 2
            };
            if tx
                .send(Some((deliver, buf[..n as usize].to_vec())))
                .is_err()
            {
                break;
            }
        }
        if cut {
            counters.cuts.fetch_add(1, Ordering::SeqCst);
            conn.cut.store(true, Ordering::SeqCst);
            // What was read but not yet delivered is lost with the connection.
            let _ = from.shutdown(Shutdown::Both);
            let _ = to.shutdown(Shutdown::Both);
            break;
        }
    }
    let _ = tx.send(None);
    if let Ok(w) = writer {
        let _ = w.join();
    }
    if conn.cut.load(Ordering::SeqCst) {
        let _ = to.shutdown(Shutdown::Both);
    }
}
