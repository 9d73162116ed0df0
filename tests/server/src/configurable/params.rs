//! The query parameters of `/r`, validated, and what they mean for one hit.

use std::time::Duration;

use hyper::header::HeaderValue;
use hyper::StatusCode;

use crate::query::Query;

/// Longest `delay`, `tail_delay`, `jitter` or `slow_body` accepted, in ms.
const MAX_MS: u64 = 10 * 60 * 1000;

/// Validated parameters of one `/r` request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Params {
    pub key: Option<String>,
    pub delay: Duration,
    /// Chance, from 0 to 1, that a hit waits `tail_delay` instead of `delay`.
    pub tail_rate: f64,
    pub tail_delay: Duration,
    /// Up to this much more wait, drawn uniformly for each hit.
    pub jitter: Duration,
    pub status: StatusCode,
    pub fail: u64,
    pub fail_status: StatusCode,
    /// Chance, from 0 to 1, that a hit not otherwise failed answers `fail_status`.
    pub fail_rate: f64,
    pub retry_after: Option<HeaderValue>,
    pub hang: bool,
    pub hang_first: u64,
    pub drop: bool,
    pub drop_first: u64,
    pub slow_body: Option<Duration>,
    pub invalid_json: bool,
    pub content_type: Option<HeaderValue>,
    pub body: Option<String>,
    pub empty: bool,
    /// Redirects left before this URL answers normally (`redirect=N`).
    pub redirect: u64,
    /// A path on this server to redirect to once `redirect` is used up (`to=PATH`).
    pub to: Option<HeaderValue>,
    /// The status of redirects: 301, 302 (default), 303, 307 or 308.
    pub redirect_status: StatusCode,
    /// `RateLimit` to send as is: remaining requests, seconds to reset (`ratelimit=R,T`).
    pub ratelimit: Option<(u64, u64)>,
    /// `RateLimit-Policy` to send with it: quota, window seconds (`ratelimit_policy=Q,W`).
    pub ratelimit_policy: Option<(u64, u64)>,
    /// `X-RateLimit-Remaining` and `X-RateLimit-Reset` to send as is (`x_ratelimit=R,T`).
    pub x_ratelimit: Option<(u64, u64)>,
    /// The key's own quota: hits per window, window in ms (`quota=Q&window=MS`).
    pub quota: Option<(u64, u64)>,
}

/// What to do for one hit, once `delay` has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Never answer.
    Hang,
    /// Close the connection without sending anything.
    Drop,
    /// Answer with this status.
    Respond(StatusCode),
    /// Answer `redirect_status`, to the same URL with one redirect less or to `to`.
    Redirect,
}

impl Params {
    /// Validates the query; the error says which parameter is wrong and why.
    pub fn parse(query: &Query) -> Result<Self, String> {
        let params = Self {
            key: query.get("key").map(str::to_owned),
            delay: millis(query, "delay")?.unwrap_or_default(),
            tail_rate: rate(query, "tail_rate")?,
            tail_delay: millis(query, "tail_delay")?.unwrap_or_default(),
            jitter: millis(query, "jitter")?.unwrap_or_default(),
            status: status(query, "status")?.unwrap_or(StatusCode::OK),
            fail: count(query, "fail")?,
            fail_status: status(query, "fail_status")?.unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            fail_rate: rate(query, "fail_rate")?,
            retry_after: header_value(query, "retry_after")?,
            hang: flag(query, "hang")?,
            hang_first: count(query, "hang_first")?,
            drop: flag(query, "drop")?,
            drop_first: count(query, "drop_first")?,
            slow_body: millis(query, "slow_body")?,
            invalid_json: flag(query, "invalid_json")?,
            content_type: header_value(query, "content_type")?,
            body: query.get("body").map(str::to_owned),
            empty: flag(query, "empty")?,
            redirect: count(query, "redirect")?,
            to: local_path(query, "to")?,
            redirect_status: redirect_status(query, "redirect_status")?,
            ratelimit: pair(query, "ratelimit")?,
            ratelimit_policy: pair(query, "ratelimit_policy")?,
            x_ratelimit: pair(query, "x_ratelimit")?,
            quota: quota(query)?,
        };
        if params.tail_rate > 0.0 && query.get("tail_delay").is_none() {
            return Err(
                "`tail_rate` says how often to wait `tail_delay`, so it needs one".to_owned(),
            );
        }
        if params.key.is_none() {
            if params.quota.is_some() {
                return Err("`quota` counts hits per key, so it needs a `key` parameter".to_owned());
            }
            for (name, value) in [
                ("fail", params.fail),
                ("hang_first", params.hang_first),
                ("drop_first", params.drop_first),
            ] {
                if value > 0 {
                    return Err(format!(
                        "`{name}` counts hits per key, so it needs a `key` parameter"
                    ));
                }
            }
        }
        Ok(params)
    }

    /// How long a hit waits before its answer, given two independent uniform draws from
    /// [0, 1): `tail_roll` picks `tail_delay` over `delay` when below `tail_rate`, and
    /// `jitter_roll` scales the `jitter` added to it.
    pub fn delay_for(&self, tail_roll: f64, jitter_roll: f64) -> Duration {
        let base = if tail_roll < self.tail_rate {
            self.tail_delay
        } else {
            self.delay
        };
        base + self.jitter.mul_f64(jitter_roll.clamp(0.0, 1.0))
    }

    /// What hit number `hit` of the key gets (1-based; 0 for a request without key), given a
    /// uniform draw `roll` from [0, 1) for `fail_rate`. A redirect takes the place of the
    /// normal answer: hangs, drops and failures still come first.
    pub fn action(&self, hit: u64, roll: f64) -> Action {
        let among_first = |n: u64| (1..=n).contains(&hit);
        if self.hang || among_first(self.hang_first) {
            Action::Hang
        } else if self.drop || among_first(self.drop_first) {
            Action::Drop
        } else if among_first(self.fail) || roll < self.fail_rate {
            Action::Respond(self.fail_status)
        } else if self.redirect > 0 || self.to.is_some() {
            Action::Redirect
        } else {
            Action::Respond(self.status)
        }
    }
}

fn invalid(name: &str, value: &str, expected: &str) -> String {
    format!("bad query parameter `{name}={value}`: expected {expected}")
}

fn count(query: &Query, name: &str) -> Result<u64, String> {
    match query.get(name) {
        None => Ok(0),
        Some(value) => value
            .parse()
            .map_err(|_| invalid(name, value, "a non-negative integer")),
    }
}

fn rate(query: &Query, name: &str) -> Result<f64, String> {
    let Some(value) = query.get(name) else {
        return Ok(0.0);
    };
    match value.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(invalid(name, value, "a number from 0 to 1")),
    }
}

fn millis(query: &Query, name: &str) -> Result<Option<Duration>, String> {
    let Some(value) = query.get(name) else {
        return Ok(None);
    };
    match value.parse::<u64>() {
        Ok(ms) if ms <= MAX_MS => Ok(Some(Duration::from_millis(ms))),
        _ => Err(invalid(
            name,
            value,
            &format!("milliseconds, an integer from 0 to {MAX_MS}"),
        )),
    }
}

fn status(query: &Query, name: &str) -> Result<Option<StatusCode>, String> {
    let Some(value) = query.get(name) else {
        return Ok(None);
    };
    match value.parse::<u16>() {
        Ok(code @ 200..=599) => StatusCode::from_u16(code)
            .map(Some)
            .map_err(|_| invalid(name, value, "an HTTP status from 200 to 599")),
        _ => Err(invalid(name, value, "an HTTP status from 200 to 599")),
    }
}

fn flag(query: &Query, name: &str) -> Result<bool, String> {
    match query.get(name) {
        None | Some("0" | "false") => Ok(false),
        Some("1" | "true" | "") => Ok(true),
        Some(value) => Err(invalid(name, value, "1, 0, true or false")),
    }
}

/// Two non-negative integers separated by a comma, e.g. `ratelimit=5,30`.
fn pair(query: &Query, name: &str) -> Result<Option<(u64, u64)>, String> {
    let Some(value) = query.get(name) else {
        return Ok(None);
    };
    value
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
        .map(Some)
        .ok_or_else(|| invalid(name, value, "two non-negative integers, like `5,30`"))
}

/// `quota=Q` with `window=MS` (from 1 ms to [`MAX_MS`]); neither without the other.
fn quota(query: &Query) -> Result<Option<(u64, u64)>, String> {
    let window = millis(query, "window")?;
    match (query.get("quota"), window) {
        (None, None) => Ok(None),
        (Some(_), None) => Err("`quota` needs a `window` in milliseconds".to_owned()),
        (None, Some(_)) => Err("`window` is the window of a `quota`, so it needs one".to_owned()),
        (Some(_), Some(window)) if window.is_zero() => {
            Err(invalid("window", "0", "at least 1 millisecond"))
        }
        (Some(_), Some(window)) => {
            let window_ms = u64::try_from(window.as_millis()).unwrap_or(MAX_MS);
            Ok(Some((count(query, "quota")?, window_ms)))
        }
    }
}

/// A path on this server: starts with one `/` (so not `//host`, which would leave it).
fn local_path(query: &Query, name: &str) -> Result<Option<HeaderValue>, String> {
    let Some(value) = query.get(name) else {
        return Ok(None);
    };
    let expected = "a path on this server, starting with a single `/`";
    let local = value.starts_with('/') && !value.starts_with("//") && !value.starts_with("/\\");
    if !local {
        return Err(invalid(name, value, expected));
    }
    HeaderValue::from_str(value)
        .map(Some)
        .map_err(|_| invalid(name, value, expected))
}

fn redirect_status(query: &Query, name: &str) -> Result<StatusCode, String> {
    match query.get(name) {
        None => Ok(StatusCode::FOUND),
        Some(value @ ("301" | "302" | "303" | "307" | "308")) => {
            StatusCode::from_bytes(value.as_bytes())
                .map_err(|_| invalid(name, value, "301, 302, 303, 307 or 308"))
        }
        Some(value) => Err(invalid(name, value, "301, 302, 303, 307 or 308")),
    }
}

fn header_value(query: &Query, name: &str) -> Result<Option<HeaderValue>, String> {
    query
        .get(name)
        .map(|value| {
            HeaderValue::from_str(value)
                .map_err(|_| invalid(name, value, "text that is valid in an HTTP header"))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Params, String> {
        Params::parse(&Query::parse(Some(raw)))
    }

    #[test]
    fn defaults() {
        let params = parse("").expect("valid");
        assert_eq!(params.key, None);
        assert_eq!(params.delay, Duration::ZERO);
        assert_eq!(params.action(1, 0.0), Action::Respond(StatusCode::OK));
    }

    #[test]
    fn keyless_requests_are_hit_zero() {
        assert_eq!(
            parse("").expect("valid").action(0, 0.0),
            Action::Respond(StatusCode::OK)
        );
        assert_eq!(parse("drop=1").expect("valid").action(0, 0.0), Action::Drop);
        assert_eq!(parse("hang=1").expect("valid").action(0, 0.0), Action::Hang);
    }

    #[test]
    fn first_hits_fail_then_succeed() {
        let params = parse("key=k&fail=2&status=201").expect("valid");
        assert_eq!(
            params.action(1, 0.0),
            Action::Respond(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(
            params.action(2, 0.0),
            Action::Respond(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(params.action(3, 0.0), Action::Respond(StatusCode::CREATED));
    }

    #[test]
    fn hang_and_drop_first_count_hits() {
        let params =
            parse("key=k&hang_first=1&drop_first=2&fail=3&fail_status=500").expect("valid");
        assert_eq!(params.action(1, 0.0), Action::Hang);
        assert_eq!(params.action(2, 0.0), Action::Drop);
        assert_eq!(
            params.action(3, 0.0),
            Action::Respond(StatusCode::INTERNAL_SERVER_ERROR)
        );
        assert_eq!(params.action(4, 0.0), Action::Respond(StatusCode::OK));
    }

    #[test]
    fn fail_rate_fails_the_draws_below_it() {
        let params = parse("fail_rate=0.25&fail_status=500&status=201").expect("valid");
        let fails = Action::Respond(StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(params.action(0, 0.0), fails);
        assert_eq!(params.action(0, 0.2499), fails);
        assert_eq!(params.action(0, 0.25), Action::Respond(StatusCode::CREATED));
        let never = parse("fail_rate=0").expect("valid");
        assert_eq!(never.action(0, 0.0), Action::Respond(StatusCode::OK));
        let always = parse("fail_rate=1").expect("valid");
        assert_eq!(
            always.action(0, 0.9999),
            Action::Respond(StatusCode::SERVICE_UNAVAILABLE)
        );
        // Hanging and dropping still come first.
        let hangs = parse("fail_rate=1&hang=1").expect("valid");
        assert_eq!(hangs.action(0, 0.0), Action::Hang);
    }

    #[test]
    fn bad_values_are_reported_by_name() {
        for (raw, name) in [
            ("delay=abc", "delay"),
            ("delay=-1", "delay"),
            ("delay=99999999999", "delay"),
            ("status=99", "status"),
            ("status=600", "status"),
            ("key=k&fail=x", "fail"),
            ("fail_status=oops", "fail_status"),
            ("fail_rate=1.5", "fail_rate"),
            ("fail_rate=-0.1", "fail_rate"),
            ("fail_rate=NaN", "fail_rate"),
            ("fail_rate=often", "fail_rate"),
            ("hang=yes", "hang"),
            ("slow_body=1.5", "slow_body"),
            ("retry_after=a%0Ab", "retry_after"),
            ("content_type=%00", "content_type"),
            ("redirect=-1", "redirect"),
            ("tail_rate=2&tail_delay=1", "tail_rate"),
            ("ratelimit=5", "ratelimit"),
            ("ratelimit=5,x", "ratelimit"),
            ("ratelimit_policy=-1,60", "ratelimit_policy"),
            ("x_ratelimit=", "x_ratelimit"),
            ("key=k&quota=x&window=10", "quota"),
            ("key=k&quota=1&window=0", "window"),
            ("tail_delay=x", "tail_delay"),
            ("jitter=-5", "jitter"),
            ("to=http://example.com/", "to"),
            ("to=//example.com/", "to"),
            ("to=/%5Cexample.com", "to"),
            ("to=/a%0Ab", "to"),
            ("redirect_status=200", "redirect_status"),
        ] {
            let err = parse(raw).expect_err(raw);
            assert!(err.contains(&format!("`{name}=")), "{raw}: {err}");
        }
    }

    #[test]
    fn tail_delay_replaces_delay_for_the_draws_below_tail_rate() {
        let ms = Duration::from_millis;
        let params = parse("delay=20&tail_rate=0.02&tail_delay=1000").expect("valid");
        assert_eq!(params.delay_for(0.0, 0.0), ms(1000));
        assert_eq!(params.delay_for(0.0199, 0.9), ms(1000));
        assert_eq!(params.delay_for(0.02, 0.0), ms(20));
        let jittery = parse("delay=20&jitter=10").expect("valid");
        assert_eq!(jittery.delay_for(0.0, 0.0), ms(20));
        assert_eq!(jittery.delay_for(0.0, 0.5), ms(25));
        assert!(jittery.delay_for(0.0, 0.999_999) < ms(30));
        assert_eq!(
            parse("").expect("valid").delay_for(0.0, 0.7),
            Duration::ZERO
        );
    }

    #[test]
    fn tail_rate_needs_a_tail_delay() {
        let err = parse("tail_rate=0.1").expect_err("no tail_delay");
        assert!(err.contains("needs one"), "{err}");
        assert!(parse("tail_rate=0").is_ok());
        assert!(parse("tail_rate=0.1&tail_delay=0").is_ok());
    }

    #[test]
    fn redirects_replace_the_normal_answer_only() {
        let params = parse("key=k&redirect=2&fail=1&redirect_status=307").expect("valid");
        assert_eq!(
            params.action(1, 0.0),
            Action::Respond(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(params.action(2, 0.0), Action::Redirect);
        assert_eq!(params.redirect_status, StatusCode::TEMPORARY_REDIRECT);
        let to = parse("to=/r%3Fkey%3Dx").expect("valid");
        assert_eq!(to.to, Some(HeaderValue::from_static("/r?key=x")));
        assert_eq!(to.action(0, 0.0), Action::Redirect);
        assert_eq!(to.redirect_status, StatusCode::FOUND);
        let done = parse("redirect=0").expect("valid");
        assert_eq!(done.action(0, 0.0), Action::Respond(StatusCode::OK));
    }

    #[test]
    fn rate_limit_parameters() {
        let params = parse("ratelimit=4,%2030&ratelimit_policy=10,60&x_ratelimit=7,1700000000")
            .expect("valid");
        assert_eq!(params.ratelimit, Some((4, 30)));
        assert_eq!(params.ratelimit_policy, Some((10, 60)));
        assert_eq!(params.x_ratelimit, Some((7, 1_700_000_000)));
        let quota = parse("key=k&quota=3&window=1500").expect("valid");
        assert_eq!(quota.quota, Some((3, 1500)));
        for (raw, needle) in [
            ("quota=3&window=10", "needs a `key`"),
            ("key=k&quota=3", "needs a `window`"),
            ("key=k&window=3", "needs one"),
        ] {
            let err = parse(raw).expect_err(raw);
            assert!(err.contains(needle), "{raw}: {err}");
        }
    }

    #[test]
    fn per_key_counters_need_a_key() {
        for raw in ["fail=1", "hang_first=1", "drop_first=1"] {
            let err = parse(raw).expect_err(raw);
            assert!(err.contains("needs a `key`"), "{raw}: {err}");
        }
        assert!(parse("fail=0").is_ok());
    }
}
