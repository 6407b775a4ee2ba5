//! Smoke test of the bench proxy: it counts what goes through, shapes the rate and cuts.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use gocua_bench::proxy::{self, Proxy, Shape};

/// An echo server on 127.0.0.1 that serves a few connections.
fn echo() -> std::net::SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().take(8) {
            let Ok(mut s) = s else { break };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 || s.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

fn round_trip(addr: std::net::SocketAddr, bytes: usize) -> std::io::Result<usize> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.write_all(&vec![7u8; bytes])?;
    let mut got = 0;
    let mut buf = [0u8; 4096];
    while got < bytes {
        match s.read(&mut buf)? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

#[test]
fn the_proxy_counts_shapes_and_cuts() {
    let target = echo();
    let p = Proxy::start(target, proxy::LOOPBACK).unwrap();
    assert_eq!(round_trip(p.addr, 10_000).unwrap(), 10_000);
    let c = p.counts();
    assert_eq!((c.up, c.down, c.connections), (10_000, 10_000, 1));
    assert_eq!((c.requests, c.round_trips), (1, 1));

    // 20 KB each way at 400 kbit/s with 100 ms round trip: at least 0.4 s + 0.1 s.
    p.set_shape(Shape {
        name: "slow",
        bits_per_sec: 400_000,
        rtt: Duration::from_millis(100),
        cut_every: None,
    });
    let t = Instant::now();
    assert_eq!(round_trip(p.addr, 20_000).unwrap(), 20_000);
    let e = t.elapsed();
    assert!(e >= Duration::from_millis(450), "{e:?}");
    assert!(e < Duration::from_secs(5), "{e:?}");

    p.set_shape(Shape {
        name: "cut",
        bits_per_sec: 0,
        rtt: Duration::ZERO,
        cut_every: Some(8 * 1024),
    });
    let before = p.counts();
    let got = round_trip(p.addr, 50_000).unwrap_or(0);
    let c = p.counts().since(&before);
    assert!(got < 8 * 1024, "{got}");
    assert_eq!(c.cuts, 1);
    assert!(c.total() <= 8 * 1024, "{c:?}");
}
