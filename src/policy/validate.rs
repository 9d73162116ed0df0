//! Turns the caller's raw input into validated options, or an error naming the field.
//!
//! Unknown fields are errors too: a misspelt `retry: { limt: 3 }` would otherwise be ignored
//! without a word.

use super::backoff::Jitter;
use super::fetch_init::{fetch_init, FETCH_INIT_FIELDS};
use super::options::{
    CallOptions, ClientSettings, DebounceOptions, RequestOptions, ResponseType, RetryOverrides,
    RetryPolicy, CLIENT_FIELDS, DEBOUNCE_FIELDS, HOOK_FIELDS, MAX_TIMER_MS, OPTION_FIELDS,
    PER_ORIGIN_FIELDS, REQUEST_FIELDS, RETRY_FIELDS,
};
use super::raw::{FieldPath, InputError, Raw};
use super::resilience_options as resilience;
use super::text::{cat, joined, number, quoted};

/// Validates the `options` argument. `undefined` and `null` give the defaults.
pub fn call_options(raw: &Raw) -> Result<CallOptions, InputError> {
    call_options_over(&CallOptions::default(), raw)
}

/// Validates the `options` argument of a call made through a client whose defaults are
/// `base`: what the call leaves out, the client decides.
pub fn call_options_over(base: &CallOptions, raw: &Raw) -> Result<CallOptions, InputError> {
    let path = FieldPath::Root("options");
    match raw {
        Raw::Undefined | Raw::Null => return Ok(base.clone()),
        Raw::Object(_) => known_fields_of(&path, raw, &[OPTION_FIELDS, FETCH_INIT_FIELDS])?,
        other => return Err(InputError::wrong_type(&path, "an object", other)),
    }
    for opaque in ["signal", "headers", "onEvent"] {
        if let Some(e) = InputError::unreadable(&path.key(opaque), raw.get(opaque)) {
            return Err(e);
        }
    }
    let mut call = layer(&path, base, raw)?;
    call.debounce = debounce(&path.key("debounce"), raw.get("debounce"))?;
    Ok(call)
}

/// Validates `createClient`'s options over `base` (the defaults, or the client `extend` is
/// called on).
pub fn client_options(base: &ClientSettings, raw: &Raw) -> Result<ClientSettings, InputError> {
    let path = FieldPath::Root("client");
    match raw {
        Raw::Undefined | Raw::Null => return Ok(base.clone()),
        Raw::Object(_) => {}
        other => return Err(InputError::wrong_type(&path, "an object", other)),
    }
    let call_fields: Vec<&str> = OPTION_FIELDS
        .iter()
        .copied()
        .filter(|f| *f != "signal" && *f != "debounce")
        .collect();
    known_fields_of(
        &path,
        raw,
        &[&call_fields, FETCH_INIT_FIELDS, CLIENT_FIELDS],
    )?;
    for opaque in ["headers", "onEvent", "hooks"] {
        if let Some(e) = InputError::unreadable(&path.key(opaque), raw.get(opaque)) {
            return Err(e);
        }
    }
    let mut client = base.clone();
    client.call = layer(&path, &base.call, raw)?;
    match raw.get("baseUrl") {
        Raw::Undefined => {}
        Raw::Text(url) => client.base_url = Some(url.clone()),
        Raw::Url(href) => client.base_url = Some(href.clone()),
        other => {
            return Err(InputError::wrong_type(
                &path.key("baseUrl"),
                "a string or a URL",
                other,
            ))
        }
    }
    for (key, slot) in [
        ("dedupe", &mut client.dedupe),
        ("idempotencyKey", &mut client.idempotency_key),
    ] {
        match raw.get(key) {
            Raw::Undefined => {}
            Raw::Bool(b) => *slot = *b,
            other => return Err(InputError::wrong_type(&path.key(key), "a boolean", other)),
        }
    }
    let per_origin = path.key("perOrigin");
    match raw.get("perOrigin") {
        Raw::Undefined => {}
        v @ Raw::Object(_) => {
            known_fields(&per_origin, v, PER_ORIGIN_FIELDS)?;
            if let Some(limit) = concurrency(&per_origin.key("concurrency"), v.get("concurrency"))?
            {
                client.per_origin_concurrency = Some(limit);
            }
        }
        other => return Err(InputError::wrong_type(&per_origin, "an object", other)),
    }
    if !raw.get("breaker").is_undefined() {
        client.breaker = resilience::breaker(&path.key("breaker"), raw.get("breaker"))?;
    }
    client.retry_budget = resilience::retry_budget(
        &path.key("retryBudget"),
        raw.get("retryBudget"),
        base.retry_budget,
    )?;
    match raw.get("rateLimit") {
        Raw::Undefined => {}
        Raw::Bool(b) => client.rate_limit = *b,
        other => {
            return Err(InputError::wrong_type(
                &path.key("rateLimit"),
                "a boolean",
                other,
            ))
        }
    }
    let hooks = path.key("hooks");
    match raw.get("hooks") {
        Raw::Undefined | Raw::Opaque => {}
        other => return Err(InputError::wrong_type(&hooks, "an object", other)),
    }
    Ok(client)
}

/// Checks the `hooks` object of a client: each hook, when given, is a function.
pub fn hooks(raw: &Raw) -> Result<(), InputError> {
    let root = FieldPath::Root("client");
    let path = root.key("hooks");
    match raw {
        Raw::Undefined | Raw::Null => return Ok(()),
        Raw::Object(_) => known_fields(&path, raw, HOOK_FIELDS)?,
        other => return Err(InputError::wrong_type(&path, "an object", other)),
    }
    for hook in HOOK_FIELDS {
        match raw.get(hook) {
            Raw::Undefined | Raw::Other("function") => {}
            other => return Err(InputError::wrong_type(&path.key(hook), "a function", other)),
        }
    }
    Ok(())
}

/// The options every layer (client, call) may set, over `base`.
fn layer(path: &FieldPath, base: &CallOptions, raw: &Raw) -> Result<CallOptions, InputError> {
    let mut call = base.clone();
    if let Some(timeout) = duration(&path.key("timeout"), raw.get("timeout"))? {
        call.timeout_ms = timeout;
    }
    if let Some(total) = duration(&path.key("totalTimeout"), raw.get("totalTimeout"))? {
        call.total_timeout_ms = total;
    }
    let overrides = retry(&path.key("retry"), raw.get("retry"))?;
    call.retry = layered(&path.key("retry"), &base.retry, &overrides)?;
    if !raw.get("concurrency").is_undefined() {
        call.concurrency = concurrency(&path.key("concurrency"), raw.get("concurrency"))?;
    }
    if !raw.get("responseType").is_undefined() {
        call.response_type = response_type(&path.key("responseType"), raw.get("responseType"))?;
    }
    call.init = fetch_init(path, raw)?.over(&base.init);
    if !raw.get("hedge").is_undefined() {
        call.hedge = resilience::hedge(&path.key("hedge"), raw.get("hedge"))?;
    }
    Ok(call)
}

/// Validates `requests[index]`: a URL string or a request object. The call's options supply
/// what the request leaves out.
pub fn request(index: usize, raw: &Raw, call: &CallOptions) -> Result<RequestOptions, InputError> {
    let root = FieldPath::Root("requests");
    let path = root.index(index);
    // A bare URL reads as `{ url }`, its other fields absent; an object is read where it is.
    let bare = match raw {
        Raw::Text(_) | Raw::Url(_) => true,
        Raw::Object(_) => {
            known_fields_of(&path, raw, &[REQUEST_FIELDS, FETCH_INIT_FIELDS])?;
            false
        }
        other => {
            return Err(InputError::wrong_type(
                &path,
                "a URL string, a URL or an object with a url",
                other,
            ))
        }
    };
    // (`Raw::get` of a bare URL finds no field.)
    let field = |key: &str| {
        if bare && key == "url" {
            raw
        } else {
            raw.get(key)
        }
    };
    let url = match field("url") {
        // ASCII whitespace only: `str::trim` would bring Unicode's tables into the wasm.
        Raw::Text(url) if !url.bytes().all(|b| b.is_ascii_whitespace()) => url.clone(),
        Raw::Url(href) => href.clone(),
        Raw::Text(_) => {
            return Err(InputError::type_error_at(
                &path,
                &[".url must not be empty"],
            ))
        }
        other => {
            return Err(InputError::wrong_type(
                &path.key("url"),
                "a string or a URL",
                other,
            ))
        }
    };
    let method = match field("method") {
        Raw::Undefined => "GET".to_string(),
        raw_method => request_method(&path.key("method"), raw_method)?,
    };
    for opaque in ["headers", "body", "json", "searchParams"] {
        if let Some(e) = InputError::unreadable(&path.key(opaque), field(opaque)) {
            return Err(e);
        }
    }
    let has_body = matches!(field("body"), Raw::Opaque);
    let has_json = matches!(field("json"), Raw::Opaque);
    if has_body && has_json {
        return Err(InputError::type_error_at(
            &path,
            &[" has both body and json; give one"],
        ));
    }
    if (has_body || has_json) && (method == "GET" || method == "HEAD") {
        let field = if has_json { "json" } else { "body" };
        return Err(InputError::type_error_at(
            &path,
            &[".", field, " is not allowed with method ", &method],
        ));
    }
    let timeout_ms = duration(&path.key("timeout"), field("timeout"))?.unwrap_or(call.timeout_ms);
    let overrides = retry(&path.key("retry"), field("retry"))?;
    let retry = layered(&path.key("retry"), &call.retry, &overrides)?;
    let id = match field("id") {
        Raw::Undefined => None,
        Raw::Text(id) => Some(id.clone()),
        other => return Err(InputError::wrong_type(&path.key("id"), "a string", other)),
    };
    let init = fetch_init(&path, raw)?.over(&call.init);
    let hedge = match field("hedge") {
        Raw::Undefined => call.hedge,
        v => resilience::hedge(&path.key("hedge"), v)?,
    };
    Ok(RequestOptions {
        url,
        method,
        timeout_ms,
        retry,
        id,
        init,
        hedge,
    })
}

/// Checks a request's method and normalises it as fetch does; the methods fetch refuses to
/// send (CONNECT, TRACE, TRACK) are errors.
pub fn request_method(path: &FieldPath, raw: &Raw) -> Result<String, InputError> {
    let normalised = method(path, raw)?;
    let upper = normalised.to_ascii_uppercase();
    if ["CONNECT", "TRACE", "TRACK"].contains(&upper.as_str()) {
        return Err(InputError::type_error_at(
            path,
            &[" ", &quoted(&normalised), " is forbidden by fetch"],
        ));
    }
    Ok(normalised)
}

/// Checks an HTTP method token and normalises it as fetch does: the six standard methods are
/// upper-cased whatever their case; any other token is kept as it is. Any token is accepted,
/// so a policy list such as `retry.methods` may name methods fetch would not send.
pub fn method(path: &FieldPath, raw: &Raw) -> Result<String, InputError> {
    let Raw::Text(name) = raw else {
        return Err(InputError::wrong_type(path, "a string", raw));
    };
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(InputError::type_error_at(
            path,
            &[" ", &quoted(name), " is not a valid HTTP method"],
        ));
    }
    let upper = name.to_ascii_uppercase();
    if ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].contains(&upper.as_str()) {
        Ok(upper)
    } else {
        Ok(name.clone())
    }
}

/// `base` with `overrides` on top, checked as a whole: the base delay may not exceed the cap.
/// The error names the field this layer set.
fn layered(
    path: &FieldPath,
    base: &RetryPolicy,
    overrides: &RetryOverrides,
) -> Result<RetryPolicy, InputError> {
    let policy = base.with(overrides);
    let (low, high) = (policy.backoff.base_delay_ms, policy.backoff.max_delay_ms);
    if low <= high {
        return Ok(policy);
    }
    Err(if overrides.base_delay_ms.is_some() {
        InputError::out_of_range(
            &path.key("baseDelay"),
            &cat(&["at most retry.maxDelay (", &number(high), ")"]),
            &Raw::Number(low),
        )
    } else {
        InputError::out_of_range(
            &path.key("maxDelay"),
            &cat(&["at least retry.baseDelay (", &number(low), ")"]),
            &Raw::Number(high),
        )
    })
}

/// RFC 9110 `tchar`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Refuses a field of an object that is not in `known`, listing the ones that are.
pub(crate) fn known_fields(path: &FieldPath, raw: &Raw, known: &[&str]) -> Result<(), InputError> {
    known_fields_of(path, raw, &[known])
}

fn known_fields_of(path: &FieldPath, raw: &Raw, lists: &[&[&str]]) -> Result<(), InputError> {
    let Raw::Object(fields) = raw else {
        return Ok(());
    };
    let known = |k: &str| lists.iter().any(|list| list.contains(&k));
    match fields.iter().find(|(k, _)| !known(k)) {
        None => Ok(()),
        Some((unknown, _)) => {
            let all = joined(lists.iter().flat_map(|l| l.iter().copied()), ", ");
            Err(InputError::type_error_at(
                path,
                &[" has no option ", &quoted(unknown), " (known: ", &all, ")"],
            ))
        }
    }
}

/// A duration in ms. `Ok(None)`: not given. `Ok(Some(None))`: `Infinity`, meaning none.
fn duration(path: &FieldPath, raw: &Raw) -> Result<Option<Option<f64>>, InputError> {
    match raw {
        Raw::Undefined => Ok(None),
        Raw::Number(n) if *n == f64::INFINITY => Ok(Some(None)),
        Raw::Number(_) => delay(path, raw).map(|ms| Some(Some(ms))),
        other => Err(InputError::wrong_type(
            path,
            "a number of milliseconds",
            other,
        )),
    }
}

/// A finite delay in ms that a timer can wait, where `Infinity` is allowed (and handled by the
/// caller, see [`duration`]).
fn delay(path: &FieldPath, raw: &Raw) -> Result<f64, InputError> {
    timer_delay(
        path,
        raw,
        "at most 2147483647 milliseconds (or Infinity for none)",
    )
}

/// A finite delay in ms where `Infinity` means nothing and so is not offered.
fn finite_delay(path: &FieldPath, raw: &Raw) -> Result<f64, InputError> {
    timer_delay(path, raw, "at most 2147483647 milliseconds")
}

fn timer_delay(path: &FieldPath, raw: &Raw, at_most: &str) -> Result<f64, InputError> {
    match raw {
        Raw::Number(n) if n.is_nan() || *n < 0.0 => Err(InputError::out_of_range(
            path,
            "a non-negative number of milliseconds",
            raw,
        )),
        Raw::Number(n) if *n > MAX_TIMER_MS => Err(InputError::out_of_range(path, at_most, raw)),
        Raw::Number(n) => Ok(*n),
        other => Err(InputError::wrong_type(
            path,
            "a number of milliseconds",
            other,
        )),
    }
}

fn whole_number(path: &FieldPath, raw: &Raw, min: f64, max: f64) -> Result<f64, InputError> {
    match raw {
        Raw::Number(n) if n.fract() == 0.0 && (min..=max).contains(n) => Ok(*n),
        Raw::Number(_) => {
            let expected = if max == f64::from(u32::MAX) {
                cat(&["a whole number of at least ", &number(min)])
            } else {
                cat(&["a whole number from ", &number(min), " to ", &number(max)])
            };
            Err(InputError::out_of_range(path, &expected, raw))
        }
        other => Err(InputError::wrong_type(path, "a number", other)),
    }
}

fn retry(path: &FieldPath, raw: &Raw) -> Result<RetryOverrides, InputError> {
    let mut o = RetryOverrides::default();
    match raw {
        Raw::Undefined => return Ok(o),
        Raw::Bool(false) => o.limit = Some(0),
        Raw::Number(_) => o.limit = Some(whole_number(path, raw, 0.0, f64::from(u32::MAX))? as u32),
        Raw::Object(_) => {
            known_fields(path, raw, RETRY_FIELDS)?;
            retry_fields(path, raw, &mut o)?;
        }
        other => {
            return Err(InputError::wrong_type(
                path,
                "a number, false or an object",
                other,
            ))
        }
    }
    Ok(o)
}

fn retry_fields(path: &FieldPath, raw: &Raw, o: &mut RetryOverrides) -> Result<(), InputError> {
    let field = |key| (path.key(key), raw.get(key));
    let (p, v) = field("limit");
    if !v.is_undefined() {
        o.limit = Some(whole_number(&p, v, 0.0, f64::from(u32::MAX))? as u32);
    }
    let (p, v) = field("methods");
    if !v.is_undefined() {
        o.methods = Some(list(&p, v, method)?);
    }
    let (p, v) = field("statusCodes");
    if !v.is_undefined() {
        o.status_codes = Some(list(&p, v, |p, item| {
            Ok(whole_number(p, item, 100.0, 599.0)? as u16)
        })?);
    }
    let (p, v) = field("baseDelay");
    if !v.is_undefined() {
        o.base_delay_ms = Some(finite_delay(&p, v)?);
    }
    let (p, v) = field("maxDelay");
    if let Some(max) = duration(&p, v)? {
        o.max_delay_ms = Some(max.unwrap_or(f64::INFINITY));
    }
    let (p, v) = field("maxRetryAfter");
    if let Some(max) = duration(&p, v)? {
        o.max_retry_after_ms = Some(max.unwrap_or(f64::INFINITY));
    }
    let (p, v) = field("jitter");
    match v {
        Raw::Undefined => {}
        Raw::Text(name) => match Jitter::from_name(name) {
            Some(j) => o.jitter = Some(j),
            None => {
                return Err(InputError::out_of_range(
                    &p,
                    "one of 'full', 'equal', 'decorrelated', 'none'",
                    v,
                ))
            }
        },
        other => return Err(InputError::wrong_type(&p, "a string", other)),
    }
    let (p, v) = field("retryOnTimeout");
    match v {
        Raw::Undefined => {}
        Raw::Bool(b) => o.retry_on_timeout = Some(*b),
        other => return Err(InputError::wrong_type(&p, "a boolean", other)),
    }
    Ok(())
}

fn list<T>(
    path: &FieldPath,
    raw: &Raw,
    item: impl Fn(&FieldPath, &Raw) -> Result<T, InputError>,
) -> Result<Vec<T>, InputError> {
    let Raw::List(items) = raw else {
        return Err(InputError::wrong_type(path, "an array", raw));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| item(&path.index(i), v))
        .collect()
}

fn concurrency(path: &FieldPath, raw: &Raw) -> Result<Option<usize>, InputError> {
    match raw {
        Raw::Undefined => Ok(None),
        Raw::Number(n) if *n == f64::INFINITY => Ok(None),
        _ => Ok(Some(
            whole_number(path, raw, 1.0, f64::from(u32::MAX))? as usize
        )),
    }
}

fn response_type(path: &FieldPath, raw: &Raw) -> Result<ResponseType, InputError> {
    match raw {
        Raw::Undefined => Ok(ResponseType::Auto),
        Raw::Text(name) => ResponseType::NAMES
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                InputError::out_of_range(
                    path,
                    "one of 'auto', 'json', 'text', 'arrayBuffer', 'blob'",
                    raw,
                )
            }),
        other => Err(InputError::wrong_type(path, "a string", other)),
    }
}

fn debounce(path: &FieldPath, raw: &Raw) -> Result<Option<DebounceOptions>, InputError> {
    match raw {
        Raw::Undefined => return Ok(None),
        Raw::Object(_) => known_fields(path, raw, DEBOUNCE_FIELDS)?,
        other => {
            return Err(InputError::wrong_type(
                path,
                "an object with key and wait",
                other,
            ))
        }
    }
    let key = match raw.get("key") {
        Raw::Text(k) if !k.is_empty() => k.clone(),
        Raw::Text(_) => return Err(InputError::type_error_at(path, &[".key must not be empty"])),
        other => return Err(InputError::wrong_type(&path.key("key"), "a string", other)),
    };
    let wait_ms = match raw.get("wait") {
        Raw::Undefined => {
            return Err(InputError::type_error_at(path, &[".wait is required"]));
        }
        v => finite_delay(&path.key("wait"), v)?,
    };
    let max_wait_ms = duration(&path.key("maxWait"), raw.get("maxWait"))?.flatten();
    if let Some(max) = max_wait_ms.filter(|max| *max < wait_ms) {
        return Err(InputError::out_of_range(
            &path.key("maxWait"),
            &cat(&["at least debounce.wait (", &number(wait_ms), ")"]),
            &Raw::Number(max),
        ));
    }
    Ok(Some(DebounceOptions {
        key,
        wait_ms,
        max_wait_ms,
    }))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
