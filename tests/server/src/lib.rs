//! `pf-test-server`: the loopback HTTP server that the parallel-fetch wasm tests,
//! `make demo` and the benchmarks talk to.
//!
//! It offers a configurable endpoint (`/r`) that can delay (with a long tail and jitter),
//! fail, hang, drop the connection, stream its body slowly, redirect, send rate-limit
//! headers or enforce a per-key quota; records every hit per key with its URL and request
//! headers, tells whether each response completed or was aborted by the client and how many
//! were in flight at once (`/stats`); echoes requests (`/echo`); sets and shows cookies
//! (`/cookie/…`); and serves static files from mounted directories. It can listen on a
//! second port with the same app, for cross-origin credentialed requests, and on an HTTPS
//! port with HTTP/2 and a self-signed certificate. `README.md` beside
//! `Cargo.toml` lists every endpoint, parameter and `/stats` field.
//!
//! The binary is a thin CLI over [`serve_all_until`]; tests can run the server in-process:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! pf_test_server::serve(listener, pf_test_server::Config::default()).await;
//! # Ok(())
//! # }
//! ```

mod app;
pub mod cli;
mod config;
mod configurable;
mod connection;
mod cookies;
mod cors;
mod echo;
mod listener;
mod mime;
pub mod port_file;
mod query;
mod quota;
mod request_body;
mod request_headers;
mod response;
mod router;
mod server;
mod slow_body;
mod static_files;
mod stats;
mod store;
mod tls;
mod tracking;

pub use config::{Config, Mount};
pub use listener::Listener;
pub use server::{serve, serve_all_until, serve_until};
