//! The one test body that runs in headless Chromium, in a page (`tests/browser.rs`) and in a
//! dedicated worker (`tests/worker.rs`), and in Node (`tests/node.rs`), against the project's own
//! server on loopback. No fetch is mocked.

pub mod support;

mod aborts;
mod bodies;
mod client;
mod debounce;
mod edges;
mod endings;
mod events;
mod hostile;
mod input;
mod joins;
mod resilience;
mod retries;
mod timeouts;
