//! Hardening helpers shared by the hub's endpoints and the dashboard: a keyed rate limiter
//! (token buckets) and a constant-time comparison of secrets' hashes.

use std::collections::{HashMap, VecDeque};
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

/// At most `max` failures per key within a sliding `window`: for sign-ins, where only failures
/// count (a token bucket would also charge the successes) and the answer must say when the next
/// attempt is allowed. Memory is bounded like [`RateLimiter`]'s: at most `max_keys` keys; when
/// full, keys without a failure in the window are dropped, and if none can be, new keys share one
/// overflow entry (so a flood of addresses is limited together rather than let through).
pub struct FailureLimiter {
    max: usize,
    window: Duration,
    max_keys: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl FailureLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max: (max as usize).max(1),
            window,
            max_keys: 10_000,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Some(wait)` while `key` has `max` failures in the window: how long until the oldest of
    /// them leaves it. Takes nothing.
    pub fn blocked(&self, key: &str) -> Option<Duration> {
        self.blocked_at(key, Instant::now())
    }

    pub fn blocked_at(&self, key: &str, now: Instant) -> Option<Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let key = self.key_in(&mut map, key, now);
        let list = map.get_mut(key)?;
        Self::expire(list, self.window, now);
        if list.len() >= self.max {
            let oldest = *list.front()?;
            Some((oldest + self.window).saturating_duration_since(now))
        } else {
            None
        }
    }

    /// Records a failure for `key`.
    pub fn fail(&self, key: &str) {
        self.fail_at(key, Instant::now())
    }

    pub fn fail_at(&self, key: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let key = self.key_in(&mut map, key, now).to_owned();
        let list = map.entry(key).or_default();
        Self::expire(list, self.window, now);
        list.push_back(now);
        // Only the latest `max` matter for the answer.
        while list.len() > self.max {
            list.pop_front();
        }
    }

    /// Forgets `key`'s failures (a coordinator who then signed in with the right password).
    pub fn clear(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }

    fn expire(list: &mut VecDeque<Instant>, window: Duration, now: Instant) {
        while list
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            list.pop_front();
        }
    }

    /// The key to use: `key`, or the overflow entry when the map is full of live keys.
    fn key_in<'a>(
        &self,
        map: &mut HashMap<String, VecDeque<Instant>>,
        key: &'a str,
        now: Instant,
    ) -> &'a str {
        if map.contains_key(key) || map.len() < self.max_keys {
            return key;
        }
        let window = self.window;
        map.retain(|_, list| {
            Self::expire(list, window, now);
            !list.is_empty()
        });
        if map.len() < self.max_keys {
            key
        } else {
            "\u{0}overflow"
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
    fn failures_in_a_sliding_window() {
        let l = FailureLimiter::new(5, Duration::from_secs(900));
        let t = Instant::now();
        for i in 0..5 {
            assert_eq!(l.blocked_at("k", t + Duration::from_secs(i)), None);
            l.fail_at("k", t + Duration::from_secs(i));
        }
        let wait = l.blocked_at("k", t + Duration::from_secs(10)).unwrap();
        assert_eq!(
            wait,
            Duration::from_secs(890),
            "until the first failure is 15 min old"
        );
        assert_eq!(l.blocked_at("other", t), None, "keys are independent");
        assert_eq!(l.blocked_at("k", t + Duration::from_secs(900)), None);
        l.fail_at("k", t + Duration::from_secs(900));
        assert!(l.blocked_at("k", t + Duration::from_secs(900)).is_some());
        l.clear("k");
        assert_eq!(l.blocked_at("k", t + Duration::from_secs(900)), None);
    }

    #[test]
    fn failure_keys_are_bounded() {
        let mut l = FailureLimiter::new(1, Duration::from_secs(60));
        l.max_keys = 3;
        let t = Instant::now();
        for k in ["a", "b", "c"] {
            l.fail_at(k, t);
        }
        // Full of live keys: a new key shares the overflow entry.
        l.fail_at("d", t);
        assert!(l.blocked_at("e", t).is_some());
        // Once the window passed, old keys make room again.
        let later = t + Duration::from_secs(61);
        assert_eq!(l.blocked_at("f", later), None);
        assert!(l.failures.lock().unwrap().len() <= 3);
    }

    #[test]
    fn constant_time_equality() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
