//! Validated options with their defaults. Every value here has passed [`super::validate`], so the
//! rest of the SDK can rely on it (finite, non-negative, within timer range).

use super::backoff::{BackoffConfig, Jitter};
use super::breaker::BreakerConfig;
use super::budget::BudgetConfig;
use super::fetch_init::FetchInit;
use super::hedge::HedgeConfig;

/// The longest delay a JS timer can wait (2^31 - 1 ms, about 24.8 days). Longer timeouts are
/// rejected rather than silently firing at once, as `setTimeout` would.
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// The per-attempt timeout when none is given, in ms.
pub const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;

/// Retries after the first attempt when none are given.
pub const DEFAULT_RETRY_LIMIT: u32 = 2;
/// The methods retried by default: those RFC 9110 calls idempotent that fetch may send
/// (TRACE is idempotent too, but fetch refuses to send it).
pub const DEFAULT_RETRY_METHODS: [&str; 5] = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
/// The statuses retried by default.
pub const DEFAULT_RETRY_STATUS_CODES: [u16; 7] = [408, 425, 429, 500, 502, 503, 504];
/// The ceiling of the first retry's delay when none is given, in ms.
pub const DEFAULT_BASE_DELAY_MS: f64 = 300.0;
/// The cap of every backoff delay when none is given, in ms.
pub const DEFAULT_MAX_DELAY_MS: f64 = 10_000.0;
/// The longest Retry-After honoured when none is given, in ms.
pub const DEFAULT_MAX_RETRY_AFTER_MS: f64 = 60_000.0;
/// The shortest attempt worth starting before the call's deadline, in ms: a retry whose wait
/// would leave less than this (or than the attempt's own timeout, if that is shorter) is not
/// made, and the request ends with its real last failure instead of a timeout a moment later.
pub const MIN_USEFUL_ATTEMPT_MS: f64 = 50.0;

/// The fields of the `options` argument (`FetchOptions`), as the `.d.ts` and README list them.
pub const OPTION_FIELDS: &[&str] = &[
    "timeout",
    "totalTimeout",
    "retry",
    "signal",
    "headers",
    "concurrency",
    "responseType",
    "debounce",
    "hedge",
    "onEvent",
];
/// The fields of a request object (`RequestSpec`), besides fetch's own (`FETCH_INIT_FIELDS`).
pub const REQUEST_FIELDS: &[&str] = &[
    "url",
    "method",
    "headers",
    "body",
    "json",
    "searchParams",
    "timeout",
    "retry",
    "hedge",
    "id",
];
/// The fields of `createClient`'s options that calls do not have; a client also takes every
/// call option but `signal` and `debounce`, and fetch's own fields.
pub const CLIENT_FIELDS: &[&str] = &[
    "baseUrl",
    "dedupe",
    "perOrigin",
    "idempotencyKey",
    "hooks",
    "breaker",
    "retryBudget",
    "rateLimit",
];
/// The fields of `perOrigin`.
pub const PER_ORIGIN_FIELDS: &[&str] = &["concurrency"];
/// The fields of `hooks`.
pub const HOOK_FIELDS: &[&str] = &["beforeRequest", "afterResponse"];
/// The fields of a `retry` object (`RetryOptions`).
pub const RETRY_FIELDS: &[&str] = &[
    "limit",
    "methods",
    "statusCodes",
    "baseDelay",
    "maxDelay",
    "jitter",
    "maxRetryAfter",
    "retryOnTimeout",
];
/// The fields of a `debounce` object (`DebounceOptions`).
pub const DEBOUNCE_FIELDS: &[&str] = &["key", "wait", "maxWait"];

/// How a request's failed attempts are retried.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// How many retries after the first attempt (default 2).
    pub limit: u32,
    /// The methods that may be retried, normalised (default GET HEAD OPTIONS PUT DELETE).
    pub methods: Vec<String>,
    /// The statuses that may be retried (default 408 425 429 500 502 503 504).
    pub status_codes: Vec<u16>,
    /// Base delay, cap (possibly infinite) and jitter (default 300 ms, 10 000 ms, full jitter).
    pub backoff: BackoffConfig,
    /// A Retry-After longer than this ends the request at once (default 60 000 ms).
    pub max_retry_after_ms: f64,
    /// Whether a timed-out attempt is retried (default true).
    pub retry_on_timeout: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            limit: DEFAULT_RETRY_LIMIT,
            methods: DEFAULT_RETRY_METHODS.map(String::from).to_vec(),
            status_codes: DEFAULT_RETRY_STATUS_CODES.to_vec(),
            backoff: BackoffConfig {
                base_delay_ms: DEFAULT_BASE_DELAY_MS,
                max_delay_ms: DEFAULT_MAX_DELAY_MS,
                jitter: Jitter::Full,
            },
            max_retry_after_ms: DEFAULT_MAX_RETRY_AFTER_MS,
            retry_on_timeout: true,
        }
    }
}

/// The fields of a `retry` option that the caller set; the rest are inherited.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryOverrides {
    /// `limit`, or the number given as `retry`, or 0 for `retry: false`.
    pub limit: Option<u32>,
    /// `methods`.
    pub methods: Option<Vec<String>>,
    /// `statusCodes`.
    pub status_codes: Option<Vec<u16>>,
    /// `baseDelay`.
    pub base_delay_ms: Option<f64>,
    /// `maxDelay` (infinite for no cap).
    pub max_delay_ms: Option<f64>,
    /// `jitter`.
    pub jitter: Option<Jitter>,
    /// `maxRetryAfter`.
    pub max_retry_after_ms: Option<f64>,
    /// `retryOnTimeout`.
    pub retry_on_timeout: Option<bool>,
}

impl RetryPolicy {
    /// This policy with the caller's overrides applied on top.
    pub fn with(&self, o: &RetryOverrides) -> RetryPolicy {
        RetryPolicy {
            limit: o.limit.unwrap_or(self.limit),
            methods: o.methods.clone().unwrap_or_else(|| self.methods.clone()),
            status_codes: o
                .status_codes
                .clone()
                .unwrap_or_else(|| self.status_codes.clone()),
            backoff: BackoffConfig {
                base_delay_ms: o.base_delay_ms.unwrap_or(self.backoff.base_delay_ms),
                max_delay_ms: o.max_delay_ms.unwrap_or(self.backoff.max_delay_ms),
                jitter: o.jitter.unwrap_or(self.backoff.jitter),
            },
            max_retry_after_ms: o.max_retry_after_ms.unwrap_or(self.max_retry_after_ms),
            retry_on_timeout: o.retry_on_timeout.unwrap_or(self.retry_on_timeout),
        }
    }

    /// Whether `method` (already normalised) may be retried.
    pub fn allows_method(&self, method: &str) -> bool {
        self.methods.iter().any(|m| m == method)
    }
}

/// How response bodies are read. The numbers are what `src/web/exchange.js` is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum ResponseType {
    /// JSON when the content-type says so, text otherwise, null for 204, 205 and HEAD.
    #[default]
    Auto = 0,
    /// Always JSON (an empty body is null).
    Json = 1,
    /// Always text.
    Text = 2,
    /// An ArrayBuffer.
    ArrayBuffer = 3,
    /// A Blob.
    Blob = 4,
}

impl ResponseType {
    /// Every response type with its option name.
    pub const NAMES: [(&'static str, ResponseType); 5] = [
        ("auto", ResponseType::Auto),
        ("json", ResponseType::Json),
        ("text", ResponseType::Text),
        ("arrayBuffer", ResponseType::ArrayBuffer),
        ("blob", ResponseType::Blob),
    ];
}

/// Keyed debouncing: calls with the same key collapse into the latest one.
#[derive(Clone, Debug, PartialEq)]
pub struct DebounceOptions {
    /// Calls sharing this key debounce together.
    pub key: String,
    /// How long the key must be quiet before the latest call runs, in ms.
    pub wait_ms: f64,
    /// The longest a call may be postponed since the first postponed call, in ms; None for
    /// no limit (`maxWait` left out or `Infinity`).
    pub max_wait_ms: Option<f64>,
}

/// The options of one `parallelFetch` / `settledFetch` call that the core decides with.
#[derive(Clone, Debug, PartialEq)]
pub struct CallOptions {
    /// Per-attempt timeout in ms; None means no timeout.
    pub timeout_ms: Option<f64>,
    /// Deadline for the whole call in ms; None means none.
    pub total_timeout_ms: Option<f64>,
    /// The call's retry policy (defaults with the call's overrides).
    pub retry: RetryPolicy,
    /// At most this many requests in flight; None means unlimited.
    pub concurrency: Option<usize>,
    /// How bodies are read.
    pub response_type: ResponseType,
    /// Keyed debouncing, if asked for.
    pub debounce: Option<DebounceOptions>,
    /// fetch's own fields.
    pub init: FetchInit,
    /// Hedged attempts, if asked for.
    pub hedge: Option<HedgeConfig>,
}

impl Default for CallOptions {
    fn default() -> Self {
        CallOptions {
            timeout_ms: Some(DEFAULT_TIMEOUT_MS),
            total_timeout_ms: None,
            retry: RetryPolicy::default(),
            concurrency: None,
            response_type: ResponseType::Auto,
            debounce: None,
            init: FetchInit::default(),
            hedge: None,
        }
    }
}

/// What a client decides with across calls, and the defaults it gives each call.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientSettings {
    /// The defaults of every call made through the client.
    pub call: CallOptions,
    /// Joined with every relative request URL.
    pub base_url: Option<String>,
    /// Whether identical GET and HEAD requests in flight share one fetch (default true).
    pub dedupe: bool,
    /// Requests in flight per origin, across every call of the client: `perOrigin.concurrency`
    /// when given, else `None`, the cap sized by the origin's throughput (`policy::origin_cap`).
    pub per_origin_concurrency: Option<usize>,
    /// Whether a retryable non-idempotent request gets an `Idempotency-Key` (default true).
    pub idempotency_key: bool,
    /// A circuit breaker per origin (off by default).
    pub breaker: Option<BreakerConfig>,
    /// A retry budget per origin (on by default).
    pub retry_budget: Option<BudgetConfig>,
    /// Whether RateLimit headers and 429s pause an origin for the whole client (default true).
    pub rate_limit: bool,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            call: CallOptions::default(),
            base_url: None,
            dedupe: true,
            per_origin_concurrency: None,
            idempotency_key: true,
            breaker: None,
            retry_budget: Some(BudgetConfig::default()),
            rate_limit: true,
        }
    }
}

/// One request's own settings, with the call's options folded in.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestOptions {
    /// The URL as given; the browser layer resolves it against the page.
    pub url: String,
    /// The method, normalised as fetch does (`get` → `GET`; `patch` stays as it is).
    pub method: String,
    /// Per-attempt timeout in ms; None means no timeout.
    pub timeout_ms: Option<f64>,
    /// The retry policy for this request.
    pub retry: RetryPolicy,
    /// The caller's id, echoed in results and errors.
    pub id: Option<String>,
    /// fetch's own fields: the request's over the call's over the client's.
    pub init: FetchInit,
    /// Hedged attempts: the request's, else the call's.
    pub hedge: Option<HedgeConfig>,
}

/// A delay in ms as a timer takes it: rounded up (a timer never fires early) and within
/// `0..=MAX_TIMER_MS`.
#[allow(clippy::manual_clamp)] // f64::clamp's assertion message would pull in float formatting.
pub fn timer_millis(ms: f64) -> u32 {
    if ms.is_nan() {
        return 0;
    }
    // max/min rather than `f64::clamp`, whose assertion would pull in float formatting.
    ms.ceil().max(0.0).min(MAX_TIMER_MS) as u32
}
