//! The practical floor: the batch as one zstd-compressed JSON request (upload) or answer
//! (download), to a minimal HTTP/1.1 sink on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

pub struct Sink {
    pub addr: SocketAddr,
    /// What the last POST stored (still compressed), served back by GET.
    blob: Arc<Mutex<Vec<u8>>>,
}

impl Sink {
    pub fn start() -> std::io::Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let blob = Arc::new(Mutex::new(Vec::new()));
        let b = blob.clone();
        std::thread::spawn(move || {
            for s in listener.incoming().take(1000) {
                let Ok(s) = s else { continue };
                let b = b.clone();
                std::thread::spawn(move || {
                    let _ = serve(s, &b);
                });
            }
        });
        Ok(Sink { addr, blob })
    }

    pub fn set(&self, data: Vec<u8>) {
        *self.blob.lock().unwrap() = data;
    }
}

fn serve(s: TcpStream, blob: &Mutex<Vec<u8>>) -> std::io::Result<()> {
    let mut r = BufReader::new(s.try_clone()?);
    let mut w = s;
    // Keep-alive, bounded.
    for _ in 0..100 {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut len = 0usize;
        for _ in 0..100 {
            let mut h = String::new();
            r.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; len];
        r.read_exact(&mut body)?;
        if line.starts_with("POST") {
            // Check it is what it claims to be.
            let ok = zstd::decode_all(&body[..])
                .ok()
                .and_then(|j| serde_json::from_slice::<serde_json::Value>(&j).ok())
                .is_some();
            let answer = if ok { "ok" } else { "bad" };
            *blob.lock().unwrap() = body;
            write!(
                w,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{answer}",
                answer.len()
            )?;
        } else {
            let data = blob.lock().unwrap().clone();
            write!(
                w,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: zstd\r\nContent-Length: {}\r\n\r\n",
                data.len()
            )?;
            w.write_all(&data)?;
        }
        w.flush()?;
    }
    Ok(())
}

/// The floor's zstd level: the strongest setting, one batch (issue 21: the smallest honest
/// transfer of the same JSON).
pub const LEVEL: i32 = 19;

/// The level the floor used before issue 21, still shown beside it so that the change of
/// definition stays visible.
pub const OLD_LEVEL: i32 = 3;

/// zstd at `level` of the JSON of `value`.
pub fn compress<T: serde::Serialize + ?Sized>(value: &T, level: i32) -> Vec<u8> {
    let json = serde_json::to_vec(value).expect("json");
    zstd::encode_all(&json[..], level).expect("zstd")
}

/// Posts `body` through `url` (the proxy) as one request.
pub fn upload(url: &str, body: Vec<u8>) -> Result<(), String> {
    let client = reqwest::blocking::Client::new();
    let r = client
        .post(format!("{url}/batch"))
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "zstd")
        .body(body)
        .send()
        .map_err(|e| e.to_string())?;
    let t = r.text().map_err(|e| e.to_string())?;
    if t == "ok" { Ok(()) } else { Err(t) }
}

/// Downloads the stored batch through `url` and checks it decodes.
pub fn download(url: &str) -> Result<usize, String> {
    let client = reqwest::blocking::Client::new();
    let bytes = client
        .get(format!("{url}/batch"))
        .send()
        .and_then(|r| r.bytes())
        .map_err(|e| e.to_string())?;
    let json = zstd::decode_all(&bytes[..]).map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_slice(&json).map_err(|e| e.to_string())?;
    Ok(v.as_array().map(|a| a.len()).unwrap_or(0))
}
