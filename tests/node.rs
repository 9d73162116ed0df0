//! The shared test body in Node.
#![cfg(target_arch = "wasm32")]

mod common;
