//! HTTPS over real TCP: the TLS listener offers h2 and http/1.1 by ALPN, with a self-signed
//! certificate, and serves the same app as the plain one.

mod support;

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use pf_test_server::{serve_all_until, Config, Listener};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use support::{RawResponse, TestServer};

/// Accepts any certificate (the server's is self-signed), checking only the signatures.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Starts a server with a plain and a TLS listener; returns the plain one and the TLS address.
async fn start() -> (
    TestServer,
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
) {
    let plain = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let tls = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let plain_addr = plain.local_addr().expect("addr");
    let tls_addr = tls.local_addr().expect("addr");
    let listeners = vec![plain.into(), Listener::tls(tls).expect("certificate")];
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_all_until(listeners, Config::default(), async {
        let _ = stopped.await;
    }));
    (TestServer::at(plain_addr), tls_addr, stop)
}

/// A TLS connection offering the `alpn` protocols.
async fn connect(addr: std::net::SocketAddr, alpn: &[&[u8]]) -> TlsStream<TcpStream> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let name = ServerName::try_from("localhost").expect("name");
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .expect("handshake")
}

#[tokio::test]
async fn h2_is_negotiated_and_serves_the_same_app() {
    let (plain, tls_addr, _stop) = start().await;
    let stream = connect(tls_addr, &[b"h2", b"http/1.1"]).await;
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    let (mut send, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .expect("h2 handshake");
    tokio::spawn(conn);
    for _ in 0..2 {
        let req = hyper::Request::get(format!("https://localhost:{}/r?key=h2", tls_addr.port()))
            .body(Empty::<Bytes>::new())
            .expect("request");
        let res = send.send_request(req).await.expect("response");
        assert_eq!(res.status(), 200);
        assert_eq!(res.version(), hyper::Version::HTTP_2);
        let body = res.into_body().collect().await.expect("body").to_bytes();
        let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(json["key"], "h2");
    }
    let stats = plain.stats("h2").await;
    assert_eq!(
        (stats["hits"].as_u64(), stats["completed"].as_u64()),
        (Some(2), Some(2))
    );
}

#[tokio::test]
async fn http1_is_served_to_clients_without_h2() {
    let (_plain, tls_addr, _stop) = start().await;
    let mut stream = connect(tls_addr, &[b"http/1.1"]).await;
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    stream
        .write_all(b"GET /r?key=h1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut bytes = Vec::new();
    // The server may end TLS without close_notify after `Connection: close`; what came is enough.
    let _ = stream.read_to_end(&mut bytes).await;
    let res = RawResponse::parse(&bytes);
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["key"], "h1");
}
