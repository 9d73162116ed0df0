//! `createClient` and the `Client` it returns: the same calls as the free functions, with the
//! client's defaults under each call's options, and its state (per-origin slots, fetches in
//! flight to share, debounce keys, counters) shared by every call made through it.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::api::{start, start_one};
use super::client::ClientState;
use super::error::input_error_to_js;
use super::outcome::Mode;

/// A client: defaults, hooks and state shared by every call made through it. Make one with
/// `createClient`; `extend` makes another over it.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Client {
    state: Rc<ClientState>,
}

/// Makes a client. Its options are the call options but `signal` and `debounce` (each call's
/// own options go over them, and a request's own over those), fetch's own fields, and
/// `baseUrl`, `dedupe`, `perOrigin`, `idempotencyKey` and `hooks`. Throws a TypeError or
/// RangeError naming the field for bad options.
///
/// @example
/// const api = createClient({ baseUrl: 'https://api.example/v1', credentials: 'include' });
/// const [me, job] = await api.parallelFetch(['/me', '/me/job']);
#[wasm_bindgen(js_name = createClient)]
pub fn create_client(
    #[wasm_bindgen(
        unchecked_optional_param_type = "ClientOptions",
        param_description = "Defaults for every call, and the client's own settings."
    )]
    options: Option<JsValue>,
) -> Result<Client, JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    ClientState::from_js(&options, None)
        .map(|state| Client {
            state: Rc::new(state),
        })
        .map_err(|e| input_error_to_js(&e))
}

#[wasm_bindgen]
impl Client {
    /// As the free `parallelFetch`, through this client.
    #[wasm_bindgen(js_name = parallelFetch, unchecked_return_type = "Promise<FetchResult[]>")]
    pub fn parallel_fetch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string | URL | RequestSpec>")]
        requests: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FetchOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        start(self.state.clone(), requests, options, Mode::AllOrNothing)
    }

    /// As the free `settledFetch`, through this client.
    #[wasm_bindgen(js_name = settledFetch, unchecked_return_type = "Promise<SettledResult[]>")]
    pub fn settled_fetch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string | URL | RequestSpec>")]
        requests: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FetchOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        start(self.state.clone(), requests, options, Mode::Settled)
    }

    /// One request; its FetchError rejects.
    #[wasm_bindgen(js_name = fetchOne, unchecked_return_type = "Promise<FetchResult>")]
    pub fn fetch_one(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | URL | RequestSpec")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FetchOptions")] options: Option<JsValue>,
    ) -> Promise {
        start_one(
            self.state.clone(),
            request,
            options.unwrap_or(JsValue::UNDEFINED),
        )
    }

    /// A new client with these options over this one's. Its state is its own.
    pub fn extend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<Client, JsValue> {
        ClientState::from_js(&options, Some(&self.state))
            .map(|state| Client {
                state: Rc::new(state),
            })
            .map_err(|e| input_error_to_js(&e))
    }

    /// Counters keyed by origin (`new URL(url).origin`): attempts in flight, requests queued
    /// behind `perOrigin.concurrency`, attempts sent, retries among them, and requests that
    /// joined a fetch already in flight.
    #[wasm_bindgen(unchecked_return_type = "Record<string, OriginStats>")]
    pub fn stats(&self) -> JsValue {
        self.state.stats()
    }
}
