//! Resumable sync requests (docs/sync-protocol.md, "A cut request resumes"): the bytes of a
//! sync request that reached the hub before the link dropped are kept, so the device sends only
//! the rest; the answer is kept until the device's next request, so a device cut while
//! receiving it asks for the rest of the answer instead of sending its request again.
//!
//! In memory, per hub process: one exchange per device (a new one replaces the old), forgotten
//! after an hour or when all exchanges together would hold more than [`MAX_STAGED_BYTES`]. A
//! device that finds its exchange forgotten (a restart, another hub process) sends it again
//! from the start, which the protocol allows anyway.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// All staged bytes of this hub process together (requests and answers).
pub const MAX_STAGED_BYTES: usize = 256 * 1024 * 1024;
/// An exchange untouched this long is forgotten.
pub const STAGED_FOR: Duration = Duration::from_secs(3600);

/// Where one device's exchange is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Receiving the request: this many bytes of it are held.
    Receiving(usize),
    /// The whole request arrived and is being handled.
    Handling,
    /// Handled; the answer (its body, status 200) is held for a device cut while receiving it.
    Answered(Arc<Vec<u8>>),
}

/// What to do with a request that continues (or starts) an exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// Append the body's bytes (the request's offset is where the held bytes end).
    Append,
    /// The request was handled; send (the rest of) this answer.
    Answer(Arc<Vec<u8>>),
    /// The whole request is here and being handled: wait for the answer.
    Wait,
    /// The offset is not where the held bytes end (this many are held): the device should ask.
    Mismatch(usize),
}

struct Staged {
    upload: String,
    length: usize,
    bytes: Vec<u8>,
    answer: Option<Arc<Vec<u8>>>,
    handling: bool,
    touched: Instant,
}

impl Staged {
    fn size(&self) -> usize {
        self.bytes.capacity() + self.answer.as_ref().map_or(0, |a| a.len())
    }

    fn stage(&self) -> Stage {
        match (&self.answer, self.handling) {
            (Some(a), _) => Stage::Answered(a.clone()),
            (None, true) => Stage::Handling,
            (None, false) => Stage::Receiving(self.bytes.len()),
        }
    }
}

/// The staged exchanges of every device, keyed by device id.
#[derive(Default)]
pub struct Uploads {
    staged: Mutex<HashMap<String, Staged>>,
}

/// A refusal to hold more bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageError {
    /// The exchange is no longer held (replaced or forgotten meanwhile).
    Gone,
    /// More bytes than the request announced.
    TooLong,
    /// The hub holds too much for other devices already.
    Full,
}

impl Uploads {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Staged>> {
        self.staged.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where `device`'s exchange `upload` is; `None` when not held.
    pub fn stage(&self, device: &str, upload: &str) -> Option<Stage> {
        let staged = self.lock();
        staged
            .get(device)
            .filter(|s| s.upload == upload)
            .map(Staged::stage)
    }

    /// What [`gocua_core::sync::wire::PATH_SYNC_UPLOAD`] answers: bytes held (the whole length
    /// once handled) and whether the answer is held.
    pub fn status(&self, device: &str, upload: &str) -> (usize, bool) {
        let staged = self.lock();
        match staged.get(device).filter(|s| s.upload == upload) {
            None => (0, false),
            Some(s) => match s.stage() {
                Stage::Receiving(held) => (held, false),
                Stage::Handling => (s.length, false),
                Stage::Answered(_) => (s.length, true),
            },
        }
    }

    /// A request of exchange `upload` (`length` bytes in all) whose body starts at `offset`.
    pub fn begin(&self, device: &str, upload: &str, length: usize, offset: usize) -> Begin {
        let now = Instant::now();
        let mut staged = self.lock();
        staged.retain(|_, s| now.duration_since(s.touched) < STAGED_FOR);
        if let Some(s) = staged.get_mut(device).filter(|s| s.upload == upload) {
            if s.length != length {
                return Begin::Mismatch(s.bytes.len());
            }
            s.touched = now;
            return match s.stage() {
                Stage::Answered(a) if offset == length => Begin::Answer(a),
                Stage::Handling if offset == length => Begin::Wait,
                // `held == length`: the whole request arrived but was never handled (its
                // connection closed first): an empty continuation hands it over.
                Stage::Receiving(held) if held == offset => Begin::Append,
                Stage::Receiving(held) => Begin::Mismatch(held),
                Stage::Handling | Stage::Answered(_) => Begin::Mismatch(length),
            };
        }
        if offset != 0 {
            return Begin::Mismatch(0);
        }
        // A new exchange replaces the device's previous one: the device has what it needed.
        staged.insert(
            device.to_owned(),
            Staged {
                upload: upload.to_owned(),
                length,
                bytes: Vec::new(),
                answer: None,
                handling: false,
                touched: now,
            },
        );
        Begin::Append
    }

    /// Appends bytes that arrived. Returns how many are held.
    pub fn append(&self, device: &str, upload: &str, chunk: &[u8]) -> Result<usize, StageError> {
        let mut staged = self.lock();
        let held = staged
            .get(device)
            .filter(|s| s.upload == upload && s.answer.is_none() && !s.handling)
            .ok_or(StageError::Gone)?;
        if held.bytes.len() + chunk.len() > held.length {
            return Err(StageError::TooLong);
        }
        let mut total: usize = staged.values().map(Staged::size).sum();
        if total + chunk.len() > MAX_STAGED_BYTES {
            // Forget the least recently touched exchanges of other devices.
            let mut others: Vec<(Instant, String)> = staged
                .iter()
                .filter(|(d, _)| d.as_str() != device)
                .map(|(d, s)| (s.touched, d.clone()))
                .collect();
            others.sort();
            for (_, d) in others {
                if total + chunk.len() <= MAX_STAGED_BYTES {
                    break;
                }
                if let Some(s) = staged.remove(&d) {
                    total -= s.size();
                }
            }
            if total + chunk.len() > MAX_STAGED_BYTES {
                return Err(StageError::Full);
            }
        }
        let s = staged.get_mut(device).ok_or(StageError::Gone)?;
        s.bytes.extend_from_slice(chunk);
        s.touched = Instant::now();
        Ok(s.bytes.len())
    }

    /// The whole request arrived: hands its bytes over for handling.
    pub fn take_complete(&self, device: &str, upload: &str) -> Option<Vec<u8>> {
        let mut staged = self.lock();
        let s = staged
            .get_mut(device)
            .filter(|s| s.upload == upload && !s.handling && s.answer.is_none())?;
        if s.bytes.len() != s.length {
            return None;
        }
        s.handling = true;
        s.touched = Instant::now();
        Some(std::mem::take(&mut s.bytes))
    }

    /// The request was handled: keep its answer (`Some`, status 200) for a device cut while
    /// receiving it, or forget the exchange (`None`: an error answer, which the device gets
    /// again by sending the request again).
    pub fn finish(&self, device: &str, upload: &str, answer: Option<Arc<Vec<u8>>>) {
        let mut staged = self.lock();
        match answer {
            Some(a) => {
                if let Some(s) = staged.get_mut(device).filter(|s| s.upload == upload) {
                    s.handling = false;
                    s.answer = Some(a);
                    s.bytes = Vec::new();
                    s.touched = Instant::now();
                }
            }
            None => {
                if staged.get(device).is_some_and(|s| s.upload == upload) {
                    staged.remove(device);
                }
            }
        }
    }
}

/// `upload`, `length`, `offset` and `answer_from` of a resumable request's query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeQuery {
    pub upload: String,
    pub length: usize,
    pub offset: usize,
    pub answer_from: usize,
}

impl ResumeQuery {
    /// Parses the query; `Ok(None)` when the request is not resumable (no `upload`).
    pub fn parse(query: Option<&str>, max_length: usize) -> Result<Option<Self>, &'static str> {
        let Some(query) = query else {
            return Ok(None);
        };
        let (mut upload, mut length, mut offset, mut answer_from) = (None, None, None, None);
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let number = || value.parse::<usize>().map_err(|_| "upload numbers");
            match key {
                "upload" => upload = Some(value),
                "length" => length = Some(number()?),
                "offset" => offset = Some(number()?),
                "answer_from" => answer_from = Some(number()?),
                _ => {}
            }
        }
        let Some(upload) = upload else {
            return Ok(None);
        };
        if !valid_upload_id(upload) {
            return Err("upload id");
        }
        let length = length.ok_or("upload length")?;
        let offset = offset.unwrap_or(0);
        if length == 0 || length > max_length || offset > length {
            return Err("upload length or offset");
        }
        Ok(Some(Self {
            upload: upload.to_owned(),
            length,
            offset,
            answer_from: answer_from.unwrap_or(0),
        }))
    }
}

/// An upload id: 1 to 32 lowercase hex digits (the device's random choice).
pub fn valid_upload_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exchange_continues_where_the_held_bytes_end_and_only_there() {
        let u = Uploads::new();
        assert_eq!(u.begin("d1", "aa", 10, 0), Begin::Append);
        assert_eq!(u.append("d1", "aa", b"hello"), Ok(5));
        // The link dropped; the device asks, then continues.
        assert_eq!(u.stage("d1", "aa"), Some(Stage::Receiving(5)));
        assert_eq!(u.begin("d1", "aa", 10, 3), Begin::Mismatch(5));
        assert_eq!(u.begin("d1", "aa", 10, 5), Begin::Append);
        assert_eq!(u.append("d1", "aa", b"world!"), Err(StageError::TooLong));
        assert_eq!(u.append("d1", "aa", b"world"), Ok(10));
        assert_eq!(
            u.take_complete("d1", "aa").as_deref(),
            Some(&b"helloworld"[..])
        );
        assert_eq!(u.begin("d1", "aa", 10, 10), Begin::Wait);
        u.finish("d1", "aa", Some(Arc::new(b"answer".to_vec())));
        assert_eq!(
            u.begin("d1", "aa", 10, 10),
            Begin::Answer(Arc::new(b"answer".to_vec()))
        );
    }

    #[test]
    fn exchanges_are_per_device_and_a_new_one_replaces_the_old() {
        let u = Uploads::new();
        assert_eq!(u.begin("d1", "aa", 4, 0), Begin::Append);
        u.append("d1", "aa", b"ab").unwrap();
        // Another device cannot see or continue it, even with the same id.
        assert_eq!(u.stage("d2", "aa"), None);
        assert_eq!(u.begin("d2", "aa", 4, 2), Begin::Mismatch(0));
        assert_eq!(u.append("d2", "aa", b"cd"), Err(StageError::Gone));
        // The device's next exchange replaces this one.
        assert_eq!(u.begin("d1", "bb", 4, 0), Begin::Append);
        assert_eq!(u.stage("d1", "aa"), None);
        assert_eq!(u.begin("d1", "aa", 4, 2), Begin::Mismatch(0));
    }

    #[test]
    fn an_error_answer_forgets_the_exchange() {
        let u = Uploads::new();
        u.begin("d1", "aa", 2, 0);
        u.append("d1", "aa", b"ab").unwrap();
        u.take_complete("d1", "aa").unwrap();
        u.finish("d1", "aa", None);
        assert_eq!(u.stage("d1", "aa"), None);
    }

    #[test]
    fn the_query_is_checked() {
        let q = ResumeQuery::parse(Some("upload=0af3&length=100&offset=40"), 1000)
            .unwrap()
            .unwrap();
        assert_eq!((q.length, q.offset, q.answer_from), (100, 40, 0));
        assert_eq!(ResumeQuery::parse(None, 1000), Ok(None));
        assert_eq!(ResumeQuery::parse(Some("x=1"), 1000), Ok(None));
        for bad in [
            "upload=XYZ&length=10",
            "upload=ab",
            "upload=ab&length=0",
            "upload=ab&length=2000",
            "upload=ab&length=10&offset=11",
            "upload=ab&length=ten",
        ] {
            assert!(ResumeQuery::parse(Some(bad), 1000).is_err(), "{bad}");
        }
    }
}
