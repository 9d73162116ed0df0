//! The browser layer: it performs what the policy core decides, with fetch, timers and
//! promises. [`api`] holds the two exported functions; the rest is internal.

mod abort;
pub mod api;
mod attempt;
mod client;
pub mod client_api;
mod debounce;
mod ending;
mod error;
mod events;
mod exchange;
mod executor;
mod flag;
mod globals;
mod group;
mod guard;
mod headers;
mod hedged;
mod join;
mod limiter;
mod outcome;
mod prepare;
mod race;
mod raw_from_js;
mod request;
mod result;
mod settle;
mod shared;
mod task;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod test_wakers;
mod timer;
mod typescript;
