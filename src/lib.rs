//! parallel-fetch: call several HTTP APIs at once from a web page.
//!
//! The crate has two halves. [`policy`] is plain Rust with no JS types: backoff and jitter, the
//! retry decision, Retry-After parsing, deadlines, option validation and the debounce state
//! machine. It is unit-tested natively. [`web`] is the thin shell that turns those decisions into
//! `fetch` calls, timers and promises, and exports `parallelFetch` and `settledFetch` to JS.
#![deny(missing_docs, missing_debug_implementations)]

pub mod policy;
pub mod web;

#[cfg(any(target_arch = "wasm32", test))]
mod heap;

/// The wasm module's allocator: power-of-two size classes with a free list each
/// ([`heap`]), a small fraction of the code of the standard library's dlmalloc or of talc
/// (BENCHMARKS.md, "Size"), which reuses freed blocks so that memory stays flat (the leak test
/// checks it). The module is single-threaded, so it needs no lock.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: heap::SizeClasses = heap::SizeClasses::new();
