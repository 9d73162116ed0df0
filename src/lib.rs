//! parallel-fetch: call several HTTP APIs at once from a web page.
//!
//! The crate has two halves. [`policy`] is plain Rust with no JS types: backoff and jitter, the
//! retry decision, Retry-After parsing, deadlines, option validation and the debounce state
//! machine. It is unit-tested natively. [`web`] is the thin shell that turns those decisions into
//! `fetch` calls, timers and promises, and exports `parallelFetch` and `settledFetch` to JS.
#![deny(missing_docs, missing_debug_implementations)]

pub mod policy;
pub mod web;

/// The wasm module's allocator: talc, which costs the `.wasm` a fraction of the standard
/// library's dlmalloc (BENCHMARKS.md, "Size") and hands freed memory back for reuse just as well
/// (the leak test keeps memory flat). The module is single-threaded, so it needs no lock.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
