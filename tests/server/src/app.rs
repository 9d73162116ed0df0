//! Shared state of one running server.

use std::time::Instant;

use crate::config::Config;
use crate::store::Store;

/// Everything a request handler may need, shared by all connections.
pub(crate) struct App {
    /// Per-key hit records.
    pub store: Store,
    /// When the server started; hit times are measured from here.
    started: Instant,
    /// Static mounts.
    pub config: Config,
}

impl App {
    pub fn new(config: Config) -> Self {
        Self {
            store: Store::default(),
            started: Instant::now(),
            config,
        }
    }

    /// Milliseconds since the server started.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}
