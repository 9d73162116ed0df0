//! The state a client keeps across calls, and owns alone: its settings and hooks, the
//! per-origin slots, the table of fetches in flight that identical requests share, its debounce
//! keys, and the counters `stats()` reports. The free functions use a default client of their
//! own. Every decision about this state is the core's (`policy::client`, `policy::slots`); this
//! module only holds it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Headers;

use super::attempt::AttemptError;
use super::debounce::Entry;
use super::exchange::Received;
use super::globals::{now_ms, set, try_get, unix_ms};
use super::headers::merge;
use super::limiter::Limiter;
use super::prepare::headers_from;
use super::raw_from_js::{raw, raw_with_opaque};
use super::shared::{Shared, WeakShared};
use crate::policy::breaker::{Admission, Breaker, BreakerOutcome, Transition};
use crate::policy::budget::RetryBudget;
use crate::policy::keyed::KeyedMap;
use crate::policy::options::ClientSettings;
use crate::policy::ratelimit::OriginPause;
use crate::policy::raw::{FieldPath, InputError, Raw};
use crate::policy::validate;

/// One fetch that identical requests in flight share; dropped (and so aborted) when the last
/// of them leaves.
pub(crate) type SharedExchange = Shared<Result<Received, AttemptError>>;

/// A client's state.
pub(crate) struct ClientState {
    pub settings: ClientSettings,
    pub headers: Option<Headers>,
    pub on_event: Option<Function>,
    pub before_request: Option<Function>,
    pub after_response: Option<Function>,
    origins: RefCell<KeyedMap<String, Origin>>,
    /// Slots held across the origins whose cap is sized by throughput.
    held: Rc<std::cell::Cell<usize>>,
    pub in_flight: RefCell<KeyedMap<String, WeakShared<Result<Received, AttemptError>>>>,
    pub debounce: RefCell<KeyedMap<String, Entry>>,
    /// The size of `in_flight` at which its dead entries are swept next.
    in_flight_sweep_at: std::cell::Cell<usize>,
}

impl std::fmt::Debug for ClientState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientState")
    }
}

/// What a client keeps per origin.
struct Origin {
    limiter: Limiter,
    sent: u32,
    retries: u32,
    deduped: u32,
    hedges: u32,
    breaker: Option<Breaker>,
    budget: Option<RetryBudget>,
    pause: OriginPause,
}

thread_local! {
    static DEFAULT: Rc<ClientState> = Rc::new(ClientState::new(ClientSettings::default()));
}

/// The client of the free functions.
pub(crate) fn default_client() -> Rc<ClientState> {
    DEFAULT.with(Rc::clone)
}

const CLIENT_OPAQUE: &[&str] = &["headers", "onEvent", "hooks"];

impl ClientState {
    fn new(settings: ClientSettings) -> Self {
        ClientState {
            settings,
            headers: None,
            on_event: None,
            before_request: None,
            after_response: None,
            origins: RefCell::new(KeyedMap::new()),
            held: Rc::default(),
            in_flight: RefCell::new(KeyedMap::new()),
            debounce: RefCell::new(KeyedMap::new()),
            in_flight_sweep_at: std::cell::Cell::new(16),
        }
    }

    /// A client from `createClient(options)`, or from `base.extend(options)`: these options
    /// over the base's, and state of its own.
    pub(crate) fn from_js(
        options: &JsValue,
        base: Option<&ClientState>,
    ) -> Result<Self, InputError> {
        let raw_options = raw_with_opaque(options, CLIENT_OPAQUE);
        let defaults = ClientSettings::default();
        let settings =
            validate::client_options(base.map_or(&defaults, |b| &b.settings), &raw_options)?;
        let mut client = ClientState::new(settings);
        let root = FieldPath::Root("client");
        let opaque = |key: &str| {
            matches!(raw_options.get(key), Raw::Opaque)
                .then(|| try_get(options, key).unwrap_or(JsValue::UNDEFINED))
        };
        let own_headers = match opaque("headers") {
            Some(init) => Some(headers_from(&root.key("headers"), &init)?),
            None => None,
        };
        client.headers = merge(base.and_then(|b| b.headers.as_ref()), own_headers.as_ref());
        client.on_event = match opaque("onEvent") {
            Some(f) if f.is_function() => Some(f.unchecked_into()),
            Some(f) => {
                return Err(InputError::wrong_type(
                    &root.key("onEvent"),
                    "a function",
                    &raw(&f),
                ))
            }
            None => base.and_then(|b| b.on_event.clone()),
        };
        let hooks = opaque("hooks").unwrap_or(JsValue::UNDEFINED);
        validate::hooks(&raw(&hooks))?;
        let hook = |name: &str| {
            try_get(&hooks, name)
                .ok()
                .filter(JsValue::is_function)
                .map(JsCast::unchecked_into::<Function>)
        };
        client.before_request =
            hook("beforeRequest").or_else(|| base.and_then(|b| b.before_request.clone()));
        client.after_response =
            hook("afterResponse").or_else(|| base.and_then(|b| b.after_response.clone()));
        Ok(client)
    }

    fn with_origin<T>(&self, origin: &str, f: impl FnOnce(&mut Origin) -> T) -> T {
        let mut origins = self.origins.borrow_mut();
        // Looked up by &str: this runs several times per attempt, and the key String is made
        // only for an origin's first request.
        let entry = origins.get_or_insert_with(origin, str::to_string, || Origin {
            limiter: match self.settings.per_origin_concurrency {
                Some(limit) => Limiter::new(limit),
                None => Limiter::adaptive(self.held.clone()),
            },
            sent: 0,
            retries: 0,
            deduped: 0,
            hedges: 0,
            breaker: self.settings.breaker.map(Breaker::new),
            budget: self.settings.retry_budget.map(RetryBudget::new),
            pause: OriginPause::default(),
        });
        f(entry)
    }

    /// Whether the origin's breaker lets a request through now (always, without a breaker).
    pub(crate) fn admit(&self, origin: &str, now_ms: f64) -> Admission {
        self.with_origin(origin, |o| match &mut o.breaker {
            Some(breaker) => breaker.admit(now_ms),
            None => Admission::Allowed,
        })
    }

    /// An admitted request to `origin` ended so; the breaker's move, if it made one.
    pub(crate) fn record(
        &self,
        origin: &str,
        now_ms: f64,
        probe: bool,
        outcome: BreakerOutcome,
    ) -> Option<Transition> {
        self.with_origin(origin, |o| {
            o.breaker.as_mut()?.record(now_ms, probe, outcome)
        })
    }

    /// A first attempt to `origin`: the retry budget grows.
    pub(crate) fn deposit(&self, origin: &str, now_ms: f64) {
        self.with_origin(origin, |o| {
            if let Some(budget) = &mut o.budget {
                budget.deposit(now_ms);
            }
        });
    }

    /// A retry or hedge to `origin` wants to go: whether the budget allows it (and spends it).
    pub(crate) fn withdraw(&self, origin: &str, now_ms: f64) -> bool {
        self.with_origin(origin, |o| {
            o.budget.as_mut().is_none_or(|b| b.try_withdraw(now_ms))
        })
    }

    /// The origin asked for a pause of `pause_ms` (RateLimit headers, a 429's Retry-After).
    pub(crate) fn pause(&self, origin: &str, now_ms: f64, pause_ms: f64) {
        self.with_origin(origin, |o| o.pause.pause_until(now_ms, pause_ms));
    }

    /// How long requests to `origin` must still wait, in ms, with the time it was read at:
    /// `(now, left)`, or `None` when `origin` has no pause on record (the clock, `clock`, is
    /// read only when it has one).
    pub(crate) fn pause_left_by(
        &self,
        origin: &str,
        clock: impl FnOnce() -> f64,
    ) -> Option<(f64, f64)> {
        self.with_origin(origin, |o| {
            o.pause.until_ms()?;
            let now = clock();
            Some((now, o.pause.wait_ms(now)))
        })
    }

    /// A hedge was sent to `origin`.
    pub(crate) fn count_hedge(&self, origin: &str) {
        self.with_origin(origin, |o| o.hedges += 1);
    }

    /// The slots of `origin`, shared by every call of this client.
    pub(crate) fn limiter(&self, origin: &str) -> Limiter {
        self.with_origin(origin, |o| o.limiter.clone())
    }

    /// An attempt to `origin` was sent; `retry` when it was not the first.
    pub(crate) fn count_sent(&self, origin: &str, retry: bool) {
        self.with_origin(origin, |o| {
            o.sent += 1;
            if retry {
                o.retries += 1;
            }
        });
    }

    /// A request joined a fetch already in flight.
    pub(crate) fn count_deduped(&self, origin: &str) {
        self.with_origin(origin, |o| o.deduped += 1);
    }

    /// A fetch in flight under `key`, to share.
    pub(crate) fn shared(&self, key: &str) -> Option<SharedExchange> {
        let mut table = self.in_flight.borrow_mut();
        // A finished exchange is no longer in flight, even while a subscriber still holds it: a
        // retry (after a 401 refresh, say) must send anew, not take the old answer again.
        let found = table
            .get(key)
            .and_then(WeakShared::upgrade)
            .filter(|shared| !shared.is_finished());
        if found.is_none() {
            table.remove(key);
        }
        found
    }

    /// Registers a new shared fetch under `key`.
    pub(crate) fn share(&self, key: String, exchange: &SharedExchange) {
        let mut table = self.in_flight.borrow_mut();
        // Entries whose fetch is gone are swept when the table has doubled since the last
        // sweep, not on every share (which made a call of N distinct URLs cost N²).
        if table.len() >= self.in_flight_sweep_at.get() {
            table.retain(|_, w| w.is_alive());
            self.in_flight_sweep_at.set((table.len() * 2).max(16));
        }
        table.insert(key, exchange.downgrade());
    }

    /// `{ [origin]: { inFlight, queued, sent, retries, deduped, breaker, budget, hedges,
    /// rateLimitedUntil } }`.
    pub(crate) fn stats(&self) -> JsValue {
        let all = Object::new();
        let now = now_ms();
        for (origin, o) in self.origins.borrow().iter() {
            let entry = Object::new();
            set(&entry, "inFlight", &(o.limiter.held() as u32).into());
            set(&entry, "queued", &(o.limiter.queued() as u32).into());
            set(&entry, "sent", &o.sent.into());
            set(&entry, "retries", &o.retries.into());
            set(&entry, "deduped", &o.deduped.into());
            let state = o.breaker.as_ref().map_or("closed", |b| b.state(now).name());
            set(&entry, "breaker", &state.into());
            let budget = o
                .budget
                .as_ref()
                .map_or(f64::INFINITY, |b| b.remaining(now));
            set(&entry, "budget", &budget.into());
            set(&entry, "hedges", &o.hedges.into());
            // Wall-clock ms, comparable with Date.now(); 0 when not paused.
            let left = o.pause.wait_ms(now);
            let until = if left > 0.0 { unix_ms() + left } else { 0.0 };
            set(&entry, "rateLimitedUntil", &until.into());
            set(&all, origin, &entry.into());
        }
        all.into()
    }
}
