//! Rate-limit headers on `/r` answers: either as the query gives them (`ratelimit`,
//! `ratelimit_policy`, `x_ratelimit`), or the key's true quota state (`quota`, `window`), in the
//! IETF draft's structured form (`RateLimit: "default";r=R;t=T`,
//! `RateLimit-Policy: "default";q=Q;w=W`).

use hyper::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};

use super::params::Params;
use crate::quota::Grant;

const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");
const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
const X_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const X_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// The headers to add to a `/r` answer; `grant` is what the key's quota said, if it has one.
/// With a quota, its true state replaces `ratelimit` and `ratelimit_policy`; a refused hit
/// also gets `Retry-After` (the answer itself is 429, see the handler).
pub(crate) fn headers(params: &Params, grant: Option<Grant>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    match (params.quota, grant) {
        (Some((quota, window_ms)), Some(grant)) => {
            let reset = seconds(grant.reset_ms);
            headers.insert(RATELIMIT, limit(grant.remaining, reset));
            headers.insert(RATELIMIT_POLICY, policy(quota, seconds(window_ms)));
            if !grant.allowed {
                headers.insert(RETRY_AFTER, HeaderValue::from(reset));
            }
        }
        _ => {
            if let Some((remaining, reset)) = params.ratelimit {
                let (quota, window) = params
                    .ratelimit_policy
                    .unwrap_or((remaining.max(1), reset.max(1)));
                headers.insert(RATELIMIT, limit(remaining, reset));
                headers.insert(RATELIMIT_POLICY, policy(quota, window));
            } else if let Some((quota, window)) = params.ratelimit_policy {
                headers.insert(RATELIMIT_POLICY, policy(quota, window));
            }
        }
    }
    if let Some((remaining, reset)) = params.x_ratelimit {
        headers.insert(X_REMAINING, HeaderValue::from(remaining));
        headers.insert(X_RESET, HeaderValue::from(reset));
    }
    headers
}

/// Whole seconds, rounded up, so a client that waits them never comes back too early.
fn seconds(ms: u64) -> u64 {
    ms.div_ceil(1000)
}

fn limit(remaining: u64, reset: u64) -> HeaderValue {
    structured(format!("\"default\";r={remaining};t={reset}"))
}

fn policy(quota: u64, window: u64) -> HeaderValue {
    structured(format!("\"default\";q={quota};w={window}"))
}

fn structured(text: String) -> HeaderValue {
    // Digits, quotes, letters, `;` and `=` only: always a valid header value.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Query;

    fn headers_for(raw: &str, grant: Option<Grant>) -> Vec<(String, String)> {
        let params = Params::parse(&Query::parse(Some(raw))).expect("valid");
        headers(&params, grant)
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_owned()))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn given_headers_pass_through() {
        assert_eq!(
            headers_for(
                "ratelimit=4,30&ratelimit_policy=10,60&x_ratelimit=7,99",
                None
            ),
            pairs(&[
                ("ratelimit", "\"default\";r=4;t=30"),
                ("ratelimit-policy", "\"default\";q=10;w=60"),
                ("x-ratelimit-remaining", "7"),
                ("x-ratelimit-reset", "99"),
            ])
        );
        assert_eq!(
            headers_for("ratelimit=0,5", None),
            pairs(&[
                ("ratelimit", "\"default\";r=0;t=5"),
                ("ratelimit-policy", "\"default\";q=1;w=5"),
            ])
        );
        assert!(headers_for("", None).is_empty());
    }

    #[test]
    fn a_quota_tells_its_true_state() {
        let grant = Grant {
            allowed: true,
            remaining: 2,
            reset_ms: 1200,
        };
        assert_eq!(
            headers_for("key=k&quota=3&window=1500&ratelimit=9,9", Some(grant)),
            pairs(&[
                ("ratelimit", "\"default\";r=2;t=2"),
                ("ratelimit-policy", "\"default\";q=3;w=2"),
            ])
        );
        let refused = Grant {
            allowed: false,
            remaining: 0,
            reset_ms: 1,
        };
        assert_eq!(
            headers_for("key=k&quota=3&window=1500", Some(refused)),
            pairs(&[
                ("ratelimit", "\"default\";r=0;t=1"),
                ("ratelimit-policy", "\"default\";q=3;w=2"),
                ("retry-after", "1"),
            ])
        );
    }
}
