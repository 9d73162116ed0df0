//! A call's outcome, one entry per request in input order, and the two shapes callers receive:
//! all-or-nothing (`parallelFetch`) and `Promise.allSettled`'s (`settledFetch`).

use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/exchange.js")]
extern "C" {
    /// `{ status: 'fulfilled', value }`, or `{ status: 'rejected', reason: value }`: built in JS
    /// in one crossing, beside the FetchResult, instead of two keys and a status decoded and two
    /// `Reflect.set`s from Rust.
    #[wasm_bindgen(js_name = settledEntry)]
    fn settled_entry(fulfilled: bool, value: &JsValue) -> JsValue;
}

/// Which function a caller used, and so which shape its promise takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `parallelFetch`: every result, or the first failure; a failure aborts the siblings.
    AllOrNothing,
    /// `settledFetch`: every outcome.
    Settled,
    /// `fetchOne`: the one result, or its error.
    One,
}

impl Mode {
    /// Whether the first failure aborts the rest.
    pub(crate) fn fail_fast(self) -> bool {
        self != Mode::Settled
    }
}

/// Every request's result or JS error, and which failed first.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub entries: Vec<Result<JsValue, JsValue>>,
    /// The request whose failure came first in time (for a user abort, the first unfinished).
    pub first_failure: Option<usize>,
}

impl Outcome {
    /// `parallelFetch`'s shape: the results in order, or the first failure.
    pub(crate) fn all_or_nothing(&self) -> Result<JsValue, JsValue> {
        if let Some(Err(error)) = self.first_failure.and_then(|i| self.entries.get(i)) {
            return Err(error.clone());
        }
        let results = Array::new_with_length(self.entries.len() as u32);
        for (i, entry) in self.entries.iter().enumerate() {
            match entry {
                Ok(value) => results.set(i as u32, value.clone()),
                Err(error) => return Err(error.clone()),
            }
        }
        Ok(results.into())
    }

    /// `settledFetch`'s shape: `{ status: 'fulfilled', value }` or `{ status: 'rejected', reason }`.
    pub(crate) fn settled(&self) -> JsValue {
        let entries = Array::new_with_length(self.entries.len() as u32);
        for (i, entry) in self.entries.iter().enumerate() {
            let item = match entry {
                Ok(value) => settled_entry(true, value),
                Err(reason) => settled_entry(false, reason),
            };
            entries.set(i as u32, item);
        }
        entries.into()
    }

    /// The shape `mode` calls for, as a promise settles.
    pub(crate) fn shaped(&self, mode: Mode) -> Result<JsValue, JsValue> {
        match mode {
            Mode::AllOrNothing => self.all_or_nothing(),
            Mode::Settled => Ok(self.settled()),
            Mode::One => match self.entries.first() {
                Some(Ok(result)) => Ok(result.clone()),
                Some(Err(error)) => Err(error.clone()),
                None => Ok(JsValue::UNDEFINED),
            },
        }
    }
}
