//! The accept loops: one per listening socket, all serving the same app (so `/stats` is shared).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::app::App;
use crate::config::Config;
use crate::connection::{serve_connection, serve_tls_connection};
use crate::listener::Listener;

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
    serve_all_until(vec![Listener::plain(listener)], config, shutdown).await;
}

/// Like [`serve_until`], for several listeners (e.g. two ports, so that tests have a second,
/// cross-origin server, or one with TLS) sharing one app: the same routes, mounts and hit
/// records.
pub async fn serve_all_until(
    listeners: Vec<Listener>,
    config: Config,
    shutdown: impl Future<Output = ()>,
) {
    let app = Arc::new(App::new(config));
    let (stop, stopped) = watch::channel(false);
    let mut loops = JoinSet::new();
    for listener in listeners {
        loops.spawn(accept_loop(listener, app.clone(), stopped.clone()));
    }
    shutdown.await;
    let _ = stop.send(true);
    while loops.join_next().await.is_some() {}
}

/// Accepts and serves connections until `stopped` turns true, then closes them all.
async fn accept_loop(listener: Listener, app: Arc<App>, mut stopped: watch::Receiver<bool>) {
    // The value only ever changes to true (or the sender goes away): either way, stop.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.tcp.accept() => match accepted {
                Ok((stream, _peer)) => match &listener.tls {
                    None => {
                        connections.spawn(serve_connection(app.clone(), stream));
                    }
                    Some(tls) => {
                        connections.spawn(serve_tls_connection(app.clone(), tls.clone(), stream));
                    }
                },
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
