//! Serving one TCP connection with hyper's HTTP/1.1 server.

use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use crate::app::App;
use crate::router;

/// Lets a handler ask for its connection to be closed at once.
#[derive(Clone, Default)]
pub(crate) struct ConnHandle(Arc<Notify>);

impl ConnHandle {
    /// Closes the connection without writing anything more to it (`drop=1`).
    pub fn close_now(&self) {
        self.0.notify_one();
    }
}

/// Serves requests on `stream` until the client closes it or a handler drops it.
///
/// hyper keeps reading the socket while a response is pending; when the client
/// closes it, the connection future fails and is dropped here, which drops the
/// in-flight handler future or response body (see `tracking`).
pub(crate) async fn serve_connection(app: Arc<App>, stream: TcpStream) {
    // Small responses should not wait for Nagle's algorithm.
    let _ = stream.set_nodelay(true);
    let keep_alive = app.config.keep_alive;
    let handle = ConnHandle::default();
    let service = {
        let handle = handle.clone();
        service_fn(move |req| router::route(app.clone(), handle.clone(), req))
    };
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(keep_alive)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // Errors here are clients going away mid-request; nothing to report.
        _ = connection => {}
        () = handle.0.notified() => { }
    }
}
