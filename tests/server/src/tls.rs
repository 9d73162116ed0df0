//! HTTPS for benchmarks over HTTP/2: a self-signed certificate for `127.0.0.1` and `localhost`,
//! made in memory at start (browsers need `--ignore-certificate-errors`), offering `h2` and
//! `http/1.1` by ALPN.

use std::sync::Arc;

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// The names the certificate is valid for.
const NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

/// A TLS acceptor with a fresh self-signed certificate.
pub(crate) fn acceptor() -> Result<TlsAcceptor, String> {
    let names: Vec<String> = NAMES.iter().map(|name| (*name).to_owned()).collect();
    let certified = rcgen::generate_simple_self_signed(names)
        .map_err(|err| format!("cannot make a self-signed certificate: {err}"))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| format!("cannot set up TLS: {err}"))?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(|err| format!("cannot use the self-signed certificate: {err}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_an_acceptor() {
        assert!(super::acceptor().is_ok());
    }
}
