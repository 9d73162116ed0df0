//! The state a client keeps across calls, and owns alone: its settings and hooks, the
//! per-origin slots, the table of fetches in flight that identical requests share, its debounce
//! keys, and the counters `stats()` reports. The free functions use a default client of their
//! own. Every decision about this state is the core's (`policy::client`, `policy::slots`); this
//! module only holds it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{LocalBoxFuture, Shared, WeakShared};
use js_sys::{Function, Object};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Headers;

use super::attempt::AttemptError;
use super::debounce::Entry;
use super::globals::{set, try_get};
use super::limiter::Limiter;
use super::prepare::{headers_from, merge};
use super::raw_from_js::{raw, raw_with_opaque};
use super::result::Received;
use crate::policy::options::ClientSettings;
use crate::policy::raw::{FieldPath, InputError, Raw};
use crate::policy::validate;

/// One fetch that identical requests in flight share; dropped (and so aborted) when the last
/// of them leaves.
pub(crate) type SharedExchange = Shared<LocalBoxFuture<'static, Result<Received, AttemptError>>>;

/// A client's state.
pub(crate) struct ClientState {
    pub settings: ClientSettings,
    pub headers: Option<Headers>,
    pub on_event: Option<Function>,
    pub before_request: Option<Function>,
    pub after_response: Option<Function>,
    origins: RefCell<HashMap<String, Origin>>,
    pub in_flight: RefCell<
        HashMap<String, WeakShared<LocalBoxFuture<'static, Result<Received, AttemptError>>>>,
    >,
    pub debounce: RefCell<HashMap<String, Entry>>,
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
            origins: RefCell::new(HashMap::new()),
            in_flight: RefCell::new(HashMap::new()),
            debounce: RefCell::new(HashMap::new()),
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
        let entry = origins.entry(origin.to_string()).or_insert_with(|| Origin {
            limiter: Limiter::new(self.settings.per_origin_concurrency),
            sent: 0,
            retries: 0,
            deduped: 0,
        });
        f(entry)
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
        let found = table.get(key).and_then(WeakShared::upgrade);
        if found.is_none() {
            table.remove(key);
        }
        found
    }

    /// Registers a new shared fetch under `key`.
    pub(crate) fn share(&self, key: String, exchange: &SharedExchange) {
        if let Some(weak) = exchange.downgrade() {
            let mut table = self.in_flight.borrow_mut();
            table.retain(|_, w| w.upgrade().is_some());
            table.insert(key, weak);
        }
    }

    /// `{ [origin]: { inFlight, queued, sent, retries, deduped } }`.
    pub(crate) fn stats(&self) -> JsValue {
        let all = Object::new();
        for (origin, o) in self.origins.borrow().iter() {
            let entry = Object::new();
            set(&entry, "inFlight", &(o.limiter.held() as u32).into());
            set(&entry, "queued", &(o.limiter.queued() as u32).into());
            set(&entry, "sent", &o.sent.into());
            set(&entry, "retries", &o.retries.into());
            set(&entry, "deduped", &o.deduped.into());
            set(&all, origin, &entry.into());
        }
        all.into()
    }
}
