//! Hardening helpers shared by the hub's endpoints and the dashboard: a keyed rate limiter
//! (token buckets) and a constant-time comparison of secrets' hashes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token bucket per key: `burst` attempts at once, then one more every `every`. Keys are
/// whatever the caller limits on (`"enrol"` for the whole hub, a coordinator id or an address for
/// a sign-in). Memory is bounded: at most `max_keys` buckets; when full, idle buckets are dropped,
/// and if none is idle the new key shares one overflow bucket.
pub struct RateLimiter {
    burst: u32,
    every: Duration,
    max_keys: usize,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(burst: u32, every: Duration) -> Self {
        Self {
            burst: burst.max(1),
            every: every.max(Duration::from_micros(1)),
            max_keys: 10_000,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one attempt for `key`: `Ok` if allowed, else how long until the next one is.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let burst = f64::from(self.burst);
        let per_sec = 1.0 / self.every.as_secs_f64();
        if !buckets.contains_key(key) && buckets.len() >= self.max_keys {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * per_sec < burst
            });
        }
        let key = if buckets.len() >= self.max_keys && !buckets.contains_key(key) {
            "\u{0}overflow"
        } else {
            key
        };
        let (tokens, at) = buckets.entry(key.to_owned()).or_insert((burst, now));
        let refilled =
            (*tokens + now.saturating_duration_since(*at).as_secs_f64() * per_sec).min(burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(Duration::from_secs_f64((1.0 - refilled) / per_sec))
        }
    }
}

/// Compares two byte strings in time that depends only on their lengths (for secrets' hashes).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_period() {
        let l = RateLimiter::new(3, Duration::from_secs(10));
        let t = Instant::now();
        for _ in 0..3 {
            assert!(l.check_at("k", t).is_ok());
        }
        let wait = l.check_at("k", t).unwrap_err();
        assert!(wait <= Duration::from_secs(10) && wait > Duration::from_secs(9));
        assert!(l.check_at("other", t).is_ok(), "keys are independent");
        assert!(l.check_at("k", t + Duration::from_secs(10)).is_ok());
        assert!(l.check_at("k", t + Duration::from_secs(10)).is_err());
    }

    #[test]
    fn constant_time_equality() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
