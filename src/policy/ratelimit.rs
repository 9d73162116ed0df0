//! Rate-limit response headers: when an origin says nothing remains, how long its next requests
//! should wait.
//!
//! Three dialects are read:
//! - the IETF fields of draft-ietf-httpapi-ratelimit-headers (-08 to -11): `RateLimit` and
//!   `RateLimit-Policy`, Structured Field Lists such as `"default";r=0;t=30` and
//!   `"default";q=100;w=60` (the `qu`, `pk` and unknown parameters are tolerated and ignored);
//! - the legacy `X-RateLimit-Remaining` and `X-RateLimit-Reset`;
//! - the older drafts' `RateLimit-Remaining` and `RateLimit-Reset`.
//!
//! Malformed values are ignored, as the draft requires, and a response that pauses in several
//! dialects pauses for the longest. A 429's `Retry-After` takes precedence over all of them
//! (draft §7), in [`pause_for_response`]. Everything is pure: headers come through a getter and
//! the wall clock is passed in.

use super::retry_after::parse_retry_after;
use super::structured::{parse_list, BareItem, Item, Member};
use super::text::{pieces, split_once_at, trim_ows};

/// A reset value above this many seconds is a Unix timestamp, not a delay. No delay is 31 years
/// long, and every timestamp since September 2001 is larger: GitHub and Twitter send
/// timestamps in `X-RateLimit-Reset`, most others send seconds to wait.
pub const UNIX_TIMESTAMP_ABOVE_S: f64 = 1e9;

/// The pause, in ms, that a response's rate-limit headers ask for: Some when some quota has
/// nothing remaining and says when it resets (and the reset is in the future), None otherwise.
///
/// `get` returns a header's value by its lower-case name, as `Headers.get` does (values of a
/// repeated header joined by `, `); `now_unix_ms` is the wall clock (`Date.now()`), used only
/// for a reset given as a Unix timestamp. The pause is not capped: the caller compares it with
/// its own maximum.
pub fn pause_from_headers(get: impl Fn(&str) -> Option<String>, now_unix_ms: f64) -> Option<f64> {
    let [ratelimit, x_remaining, remaining] = HEADERS;
    let ietf = get(ratelimit)
        .and_then(|limits| ietf_pause_ms(&limits, get("ratelimit-policy").as_deref()));
    let legacy = |remaining: &str, reset: &str| {
        legacy_pause_ms(&get(remaining)?, get(reset).as_deref(), now_unix_ms)
    };
    [
        ietf,
        legacy(x_remaining, "x-ratelimit-reset"),
        legacy(remaining, "ratelimit-reset"),
    ]
    .into_iter()
    .flatten()
    .reduce(f64::max)
}

/// The headers without which [`pause_from_headers`] finds nothing (the others it reads only
/// next to one of these). `src/web/exchange.js` checks for them, so that a response with none
/// costs no header reads from wasm.
pub const HEADERS: [&str; 3] = ["ratelimit", "x-ratelimit-remaining", "ratelimit-remaining"];

/// The pause for a response with status `status`: a 429's `Retry-After` when it has a valid
/// one (it takes precedence), else what the rate-limit headers say.
pub fn pause_for_response(
    status: u16,
    get: impl Fn(&str) -> Option<String>,
    now_unix_ms: f64,
) -> Option<f64> {
    pause_after_429(status, &get, now_unix_ms).or_else(|| pause_from_headers(get, now_unix_ms))
}

/// The pause a 429 Too Many Requests asks for in its `Retry-After` (delta-seconds or an
/// HTTP-date), None for other statuses or without a valid, positive Retry-After.
pub fn pause_after_429(
    status: u16,
    get: impl Fn(&str) -> Option<String>,
    now_unix_ms: f64,
) -> Option<f64> {
    if status != 429 {
        return None;
    }
    parse_retry_after(&get("retry-after")?, now_unix_ms).filter(|&ms| ms > 0.0)
}

/// The pause from the IETF `RateLimit` field: the longest reset among its service limits with
/// `r=0`. A limit's reset is its `t` parameter, or, without one, the `w` window of the
/// `RateLimit-Policy` item of the same name; a limit with neither is not waited on (there is no
/// telling for how long). Items without an integer `r` are ignored.
pub fn ietf_pause_ms(ratelimit: &str, policy: Option<&str>) -> Option<f64> {
    let limits = items(ratelimit)?;
    let policies = policy.and_then(items).unwrap_or_default();
    let window_of = |name: &BareItem| {
        let policy = policies.iter().find(|p| p.value == *name)?;
        non_negative(policy.param("w")?)
    };
    limits
        .iter()
        .filter(|limit| limit.param("r").and_then(BareItem::as_integer) == Some(0))
        .filter_map(|limit| match limit.param("t") {
            Some(t) => non_negative(t),
            None => window_of(&limit.value),
        })
        .map(|secs| secs as f64 * 1000.0)
        .filter(|&ms| ms > 0.0)
        .reduce(f64::max)
}

/// The pause from a legacy `…-Remaining` / `…-Reset` pair: Some only when `remaining` is 0 and
/// `reset` is valid. The reset is seconds to wait, or a Unix timestamp in seconds when larger
/// than [`UNIX_TIMESTAMP_ABOVE_S`]; a fraction is allowed (`1.5`, as Discord sends). A repeated
/// header (`0, 5`) counts its smallest remaining and its largest reset.
pub fn legacy_pause_ms(remaining: &str, reset: Option<&str>, now_unix_ms: f64) -> Option<f64> {
    let remaining = each(remaining, whole)?.into_iter().min()?;
    if remaining != 0 {
        return None;
    }
    let secs = each(reset?, seconds)?.into_iter().reduce(f64::max)?;
    let ms = if secs > UNIX_TIMESTAMP_ABOVE_S {
        secs * 1000.0 - now_unix_ms
    } else {
        secs * 1000.0
    };
    // Written so that a NaN from a broken clock gives None.
    (ms > 0.0).then_some(ms)
}

/// The Items of a List field, skipping inner lists; None if it does not parse.
fn items(field: &str) -> Option<Vec<Item>> {
    let members = parse_list(field)?;
    Some(
        members
            .into_iter()
            .filter_map(|m| match m {
                Member::Item(item) => Some(item),
                Member::InnerList(..) => None,
            })
            .collect(),
    )
}

fn non_negative(value: &BareItem) -> Option<i64> {
    value.as_integer().filter(|&n| n >= 0)
}

/// Every comma-separated element of `value` through `parse`; None if any fails.
fn each<T>(value: &str, parse: fn(&str) -> Option<T>) -> Option<Vec<T>> {
    pieces(value, b',').map(|v| parse(trim_ows(v))).collect()
}

/// `1*DIGIT` as a number, saturating.
fn whole(text: &str) -> Option<u64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| {
        text.bytes().fold(0u64, |n, b| {
            n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        })
    })
}

/// `1*DIGIT [ "." 1*DIGIT ]` as seconds; fraction digits past the ninth are dropped.
fn seconds(text: &str) -> Option<f64> {
    let (int, fraction) = match split_once_at(text, b'.') {
        Some((int, fraction)) => (int, Some(fraction)),
        None => (text, None),
    };
    let mut secs = whole(int)? as f64;
    if let Some(fraction) = fraction {
        // All ASCII digits first, so the cut below falls on a character boundary; cut with
        // `get`, which cannot panic (a str slice's panic would bring its message formatter).
        whole(fraction)?;
        let digits = fraction.get(..fraction.len().min(9))?;
        let scale = 10f64.powi(digits.len() as i32);
        secs += whole(digits)? as f64 / scale;
    }
    Some(secs)
}

/// When an origin may be called again, on the client's monotonic clock. Pauses only ever
/// lengthen it: a shorter pause reported later does not cut a longer one short.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OriginPause {
    until_ms: Option<f64>,
}

impl OriginPause {
    /// Holds the origin's requests for `pause_ms` from `now_ms`, unless it is already held
    /// longer. A negative or non-finite pause is ignored.
    pub fn pause_until(&mut self, now_ms: f64, pause_ms: f64) {
        let end = now_ms + pause_ms;
        if !(pause_ms >= 0.0 && end.is_finite()) {
            return;
        }
        if self.until_ms.is_none_or(|until| end > until) {
            self.until_ms = Some(end);
        }
    }

    /// How long a request at `now_ms` must wait, in ms (0 when the origin is not paused).
    pub fn wait_ms(&self, now_ms: f64) -> f64 {
        self.until_ms.map_or(0.0, |until| (until - now_ms).max(0.0))
    }

    /// When the latest pause ends, if there ever was one.
    pub fn until_ms(&self) -> Option<f64> {
        self.until_ms
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
