//! The one place where Rust errors become JS values: real `Error` objects whose `name` is
//! HttpError, TimeoutError, NetworkError, AbortError or ParseError, with `url`, `method`,
//! `attempts` and, where they apply, `id`, `status`, `response`, `retryAfter`, `abortedBy` and
//! `cause`. Bad input becomes a `TypeError` or `RangeError` whose message names the field.

use std::rc::Rc;

use wasm_bindgen::JsValue;

use super::globals::{describe_thrown, set};
use crate::policy::raw::{InputError, InputErrorKind};
use crate::policy::retry::StopReason;
use crate::policy::text::{cat, number, whole};

/// Who cut a request short: the one meaning of an `abort` event, an AbortError's `abortedBy`
/// and its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AbortCause {
    /// The caller's `signal` aborted.
    User,
    /// A sibling failed in an all-or-nothing call.
    FailFast {
        /// The index of the request that failed.
        failed: usize,
    },
    /// A newer call with the same debounce key superseded this one's run.
    Debounce,
}

impl AbortCause {
    /// The name in events and in `abortedBy`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            AbortCause::User => "user",
            AbortCause::FailFast { .. } => "failFast",
            AbortCause::Debounce => "debounce",
        }
    }
}

/// What kind of failure ended a request.
#[derive(Clone, Debug)]
pub(crate) enum ErrorKind {
    /// A final non-2xx response.
    Http {
        /// Its status.
        status: u16,
        /// Its status text.
        status_text: String,
    },
    /// The last attempt ran out of time.
    Timeout {
        /// The limit that fired, in ms.
        after_ms: f64,
        /// True when it was the call's `totalTimeout`.
        by_deadline: bool,
    },
    /// fetch or the body read failed.
    Network,
    /// The request was aborted before it finished.
    Abort(AbortCause),
    /// The body could not be parsed.
    Parse,
    /// A client hook threw or rejected; named as what it threw when that is one of the SDK's
    /// error names, else NetworkError.
    Hook(&'static str),
    /// The origin's circuit breaker is open: nothing was sent.
    CircuitOpen {
        /// The origin.
        origin: String,
        /// Until it lets a probe through, in ms (None while a probe is deciding).
        retry_after_ms: Option<f64>,
    },
}

/// The SDK's error names, which a hook's error may carry through.
const NAMES: [&str; 6] = [
    "HttpError",
    "TimeoutError",
    "NetworkError",
    "AbortError",
    "ParseError",
    "CircuitOpenError",
];

impl ErrorKind {
    /// The kind for a hook's error: its own name if that is one of the SDK's.
    pub(crate) fn hook(cause: &JsValue) -> ErrorKind {
        let name = super::globals::get(cause, "name").as_string();
        let own = NAMES.into_iter().find(|n| name.as_deref() == Some(*n));
        ErrorKind::Hook(own.unwrap_or("NetworkError"))
    }
}

/// Which request an error or result belongs to.
#[derive(Debug)]
pub(crate) struct RequestLabel {
    /// The caller's id.
    pub id: Option<String>,
    /// The normalised method.
    pub method: String,
    /// The resolved URL.
    pub url: String,
}

/// A request's final failure, before it becomes a JS `Error`.
#[derive(Debug)]
pub(crate) struct FetchError {
    pub kind: ErrorKind,
    pub label: Rc<RequestLabel>,
    pub attempts: u32,
    /// For HttpError: the response as a FetchResult, body read.
    pub response: Option<JsValue>,
    /// The Retry-After the server sent, in ms.
    pub retry_after_ms: Option<f64>,
    /// The underlying JS error (a TypeError from fetch, a SyntaxError from JSON.parse, the
    /// caller's abort reason).
    pub cause: Option<JsValue>,
    /// Why retrying stopped early, when that is worth saying.
    pub stopped: Option<StopReason>,
}

impl FetchError {
    /// A bare error of `kind` for `label`.
    pub(crate) fn new(kind: ErrorKind, label: Rc<RequestLabel>, attempts: u32) -> Self {
        FetchError {
            kind,
            label,
            attempts,
            response: None,
            retry_after_ms: None,
            cause: None,
            stopped: None,
        }
    }

    /// The JS `name`.
    pub(crate) fn name(&self) -> &'static str {
        match self.kind {
            ErrorKind::Http { .. } => "HttpError",
            ErrorKind::Timeout { .. } => "TimeoutError",
            ErrorKind::Network => "NetworkError",
            ErrorKind::Abort(_) => "AbortError",
            ErrorKind::Parse => "ParseError",
            ErrorKind::Hook(name) => name,
            ErrorKind::CircuitOpen { .. } => "CircuitOpenError",
        }
    }

    /// The final status, for an HttpError.
    pub(crate) fn status(&self) -> Option<u16> {
        match self.kind {
            ErrorKind::Http { status, .. } => Some(status),
            _ => None,
        }
    }

    /// A message that says what happened to which request, and why retrying stopped.
    pub(crate) fn message(&self) -> String {
        let RequestLabel { method, url, .. } = &*self.label;
        let what = match &self.kind {
            ErrorKind::Http {
                status,
                status_text,
            } if status_text.is_empty() => cat(&["HTTP ", &whole(u64::from(*status))]),
            ErrorKind::Http {
                status,
                status_text,
            } => cat(&["HTTP ", &whole(u64::from(*status)), " ", status_text]),
            ErrorKind::Timeout {
                by_deadline: true, ..
            } if self.attempts == 0 => {
                "the call's totalTimeout passed before it could be sent".into()
            }
            ErrorKind::Timeout {
                after_ms,
                by_deadline: true,
            } => cat(&[
                "the call's totalTimeout passed (",
                &number(*after_ms),
                " ms left for this attempt)",
            ]),
            ErrorKind::Timeout { after_ms, .. } => {
                cat(&["timed out after ", &number(*after_ms), " ms"])
            }
            ErrorKind::Network => cat(&["network error", &cause_text(&self.cause)]),
            ErrorKind::Abort(AbortCause::User) => "aborted by the caller's signal".into(),
            ErrorKind::Abort(AbortCause::FailFast { failed }) => cat(&[
                "aborted because requests[",
                &whole(*failed as u64),
                "] failed",
            ]),
            ErrorKind::Abort(AbortCause::Debounce) => {
                "aborted by a newer call with the same debounce key".into()
            }
            ErrorKind::Parse => cat(&[
                "the response body is not valid JSON",
                &cause_text(&self.cause),
            ]),
            ErrorKind::CircuitOpen {
                origin,
                retry_after_ms: Some(ms),
            } => cat(&[
                "the circuit breaker for ",
                origin,
                " is open, so nothing was sent; it lets a request through again in ",
                &number(ms.ceil()),
                " ms",
            ]),
            ErrorKind::CircuitOpen { origin, .. } => cat(&[
                "the circuit breaker for ",
                origin,
                " is half-open and its one probe is in flight, so nothing was sent",
            ]),
            ErrorKind::Hook(_) => cat(&[
                "a client hook failed",
                &cause_text(&self.cause),
                ", so the request was not sent again",
            ]),
        };
        let attempts = match self.attempts {
            0 | 1 => String::new(),
            n => cat(&[" after ", &whole(u64::from(n)), " attempts"]),
        };
        let why = match self.stopped {
            Some(StopReason::MethodNotRetryable) => cat(&[
                "; ",
                method,
                " is not in retry.methods, so it was not retried",
            ]),
            Some(StopReason::BodyNotReplayable) => {
                "; a stream body cannot be sent twice, so it was not retried".into()
            }
            Some(StopReason::RetryAfterTooLong) => cat(&[
                "; Retry-After asked for ",
                &number(self.retry_after_ms.unwrap_or_default()),
                " ms, more than retry.maxRetryAfter",
            ]),
            Some(StopReason::DeadlineTooClose) => {
                "; totalTimeout leaves no time for another attempt".into()
            }
            Some(StopReason::BudgetExhausted) => {
                "; the retry budget for this origin is spent, so it was not retried".into()
            }
            _ => String::new(),
        };
        cat(&[method, " ", url, ": ", &what, &attempts, &why])
    }

    /// The JS `Error` users receive.
    pub(crate) fn to_js(&self) -> JsValue {
        let error = js_sys::Error::new(&self.message());
        error.set_name(self.name());
        let e: &JsValue = error.as_ref();
        set(e, "url", &self.label.url.as_str().into());
        set(e, "method", &self.label.method.as_str().into());
        if let Some(id) = &self.label.id {
            set(e, "id", &id.as_str().into());
        }
        set(e, "attempts", &self.attempts.into());
        if let ErrorKind::Http { status, .. } = self.kind {
            set(e, "status", &status.into());
        }
        if let Some(response) = &self.response {
            set(e, "response", response);
        }
        if let Some(ms) = self.retry_after_ms {
            set(e, "retryAfter", &ms.into());
        }
        if let ErrorKind::Abort(cause) = self.kind {
            set(e, "abortedBy", &cause.name().into());
        }
        if let Some(cause) = &self.cause {
            set(e, "cause", cause);
        }
        if let Some(stopped) = self.stopped {
            set(e, "stopped", &stopped.name().into());
        }
        if let ErrorKind::CircuitOpen {
            origin,
            retry_after_ms,
        } = &self.kind
        {
            set(e, "origin", &origin.as_str().into());
            if let Some(ms) = retry_after_ms {
                set(e, "retryAfter", &(*ms).into());
            }
        }
        error.into()
    }
}

/// ` (TypeError: Failed to fetch)`, from a JS error's name and message, or from a plain value.
fn cause_text(cause: &Option<JsValue>) -> String {
    match cause {
        Some(cause) => " (".to_string() + &describe_thrown(cause) + ")",
        None => String::new(),
    }
}

/// Bad input as the JS error class its kind calls for.
pub(crate) fn input_error_to_js(error: &InputError) -> JsValue {
    match error.kind {
        InputErrorKind::Type => js_sys::TypeError::new(&error.message).into(),
        InputErrorKind::Range => js_sys::RangeError::new(&error.message).into(),
    }
}
