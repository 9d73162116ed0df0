//! A listening socket, plain or with TLS.

use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::tls;

/// A socket to serve the app on: plain HTTP/1.1, or HTTPS with HTTP/2 and HTTP/1.1.
pub struct Listener {
    pub(crate) tcp: TcpListener,
    pub(crate) tls: Option<TlsAcceptor>,
}

impl Listener {
    /// Plain HTTP/1.1 on `tcp`.
    pub fn plain(tcp: TcpListener) -> Self {
        Self { tcp, tls: None }
    }

    /// HTTPS on `tcp` (h2 or http/1.1 by ALPN), with a self-signed certificate for
    /// `127.0.0.1` and `localhost` made now.
    pub fn tls(tcp: TcpListener) -> Result<Self, String> {
        Ok(Self {
            tcp,
            tls: Some(tls::acceptor()?),
        })
    }
}

impl From<TcpListener> for Listener {
    fn from(tcp: TcpListener) -> Self {
        Self::plain(tcp)
    }
}
