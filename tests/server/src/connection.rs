//! Serving one TCP connection: plain with hyper's HTTP/1.1 server, or TLS with HTTP/2 or
//! HTTP/1.1 as ALPN decides.

use std::sync::Arc;

use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio_rustls::TlsAcceptor;

use crate::app::App;
use crate::router;

/// Lets a handler ask for its connection to be closed at once.
#[derive(Clone, Default)]
pub(crate) struct ConnHandle(Arc<Notify>);

impl ConnHandle {
    /// Closes the connection without writing anything more to it (`drop=1`; over HTTP/2
    /// that ends every stream of the connection).
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

/// How long a TLS handshake may take before the connection is given up.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Like [`serve_connection`], over TLS: HTTP/2 if the client offered `h2`, else HTTP/1.1.
pub(crate) async fn serve_tls_connection(app: Arc<App>, tls: TlsAcceptor, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(stream)).await else {
        // A failed handshake (e.g. a browser that refused the certificate): nothing to serve.
        return;
    };
    let keep_alive = app.config.keep_alive;
    let handle = ConnHandle::default();
    let service = {
        let handle = handle.clone();
        service_fn(move |req| router::route(app.clone(), handle.clone(), req))
    };
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .keep_alive(keep_alive);
    builder.http2().timer(TokioTimer::new());
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        () = handle.0.notified() => { }
    }
}
