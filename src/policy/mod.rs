//! The pure policy core: every decision the SDK makes, with no JS types, tested natively.

pub mod backoff;
pub mod breaker;
pub mod budget;
pub mod client;
pub mod deadline;
pub mod debounce;
pub mod fetch_init;
pub mod fifo;
pub mod generational;
pub mod hedge;
pub mod keyed;
pub mod mime;
pub mod options;
pub mod origin_cap;
pub mod ratelimit;
pub mod raw;
pub mod resilience_options;
pub mod retry;
pub mod retry_after;
pub mod slots;
pub mod structured;
pub mod text;
pub mod timers;
pub mod validate;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod drift_tests;
