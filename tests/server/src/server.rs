//! The accept loop.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::app::App;
use crate::config::Config;
use crate::connection::serve_connection;

/// Serves connections from `listener` forever.
pub async fn serve(listener: TcpListener, config: Config) {
    serve_until(listener, config, std::future::pending()).await;
}

/// Serves connections from `listener` until `shutdown` completes; then every open
/// connection is closed and in-flight requests are dropped.
pub async fn serve_until(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) {
    let app = Arc::new(App::new(config));
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve_connection(app.clone(), stream));
                }
                Err(err) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    eprintln!("pf-test-server: accept failed: {err}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}
