//! Helpers shared by the integration tests: an in-process server and a tiny raw
//! HTTP/1.1 client over real TCP.

#![allow(dead_code)] // each test binary uses a different subset

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pf_test_server::{serve_all_until, serve_until, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// A server to talk to; one started by [`TestServer::start`] stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    _stop: Option<oneshot::Sender<()>>,
}

impl TestServer {
    /// Starts a server on a free loopback port.
    pub async fn start(config: Config) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(serve_until(listener, config, async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            _stop: Some(stop),
        }
    }

    /// Starts a server listening on two free loopback ports; the second one (returned second)
    /// serves the same app and stops with the first.
    pub async fn start_with_second_port(config: Config) -> (Self, Self) {
        let bind = || async { TcpListener::bind("127.0.0.1:0").await.expect("bind") };
        let (first, second) = (bind().await, bind().await);
        let addr = first.local_addr().expect("addr");
        let second_addr = second.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(serve_all_until(
            vec![first.into(), second.into()],
            config,
            async {
                let _ = stopped.await;
            },
        ));
        let server = Self {
            addr,
            _stop: Some(stop),
        };
        (server, Self::at(second_addr))
    }

    /// A server running elsewhere (e.g. the binary) at `addr`.
    pub fn at(addr: SocketAddr) -> Self {
        Self { addr, _stop: None }
    }

    /// Opens a connection and sends `GET path` on it (keep-alive), without reading.
    pub async fn send_get(&self, path: &str) -> TcpStream {
        let mut stream = TcpStream::connect(self.addr).await.expect("connect");
        let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("write");
        stream
    }

    /// Sends a raw request (its head must end with `\r\n\r\n`; `Connection: close`
    /// is added) and reads the whole response.
    pub async fn raw(&self, head: &str, body: &str) -> RawResponse {
        let mut stream = TcpStream::connect(self.addr).await.expect("connect");
        let head = head.trim_end_matches("\r\n");
        let request = format!("{head}\r\nConnection: close\r\n\r\n{body}");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).await.expect("read");
        RawResponse::parse(&bytes)
    }

    /// `GET path` and the whole response.
    pub async fn get(&self, path: &str) -> RawResponse {
        self.raw(&format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n"), "")
            .await
    }

    /// The `/stats` JSON of `key`.
    pub async fn stats(&self, key: &str) -> serde_json::Value {
        self.get(&format!("/stats?key={key}")).await.json()
    }

    /// Polls `/stats` until `field` of `key` equals `expected`; panics after `within`.
    pub async fn wait_for_stat(&self, key: &str, field: &str, expected: u64, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let stats = self.stats(key).await;
            if stats[field] == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{key}.{field} did not become {expected} within {within:?}: {stats}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked if it was chunked.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Parses a complete response; panics on anything malformed.
    pub fn parse(bytes: &[u8]) -> Self {
        let split = find(bytes, b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no complete head in {:?}", String::from_utf8_lossy(bytes)));
        let head = std::str::from_utf8(&bytes[..split]).expect("utf-8 head");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().expect("status line");
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(':').expect("header line");
                (name.to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        let raw_body = &bytes[split + 4..];
        let chunked = headers
            .iter()
            .any(|(name, value)| name == "transfer-encoding" && value == "chunked");
        let body = if chunked {
            dechunk(raw_body)
        } else {
            raw_body.to_vec()
        };
        Self {
            status,
            headers,
            body,
        }
    }

    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {:?}", self.text()))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = find(raw, b"\r\n").expect("chunk size line");
        let size_text = std::str::from_utf8(&raw[..line_end]).expect("chunk size");
        let size = usize::from_str_radix(size_text.trim(), 16).expect("hex chunk size");
        raw = &raw[line_end + 2..];
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// Reads from `stream` until the end of the response head; returns the bytes read.
pub async fn read_head(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 1024];
    while find(&bytes, b"\r\n\r\n").is_none() {
        let n = stream.read(&mut buf).await.expect("read head");
        assert!(n > 0, "connection closed before the response head");
        bytes.extend_from_slice(&buf[..n]);
    }
    bytes
}

/// A fresh empty directory under the system temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a directory unique to this call.
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        let dir = std::env::temp_dir().join(format!("pf-test-server-{pid}-{n}-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The directory's last path component.
    pub fn name(&self) -> String {
        self.0
            .file_name()
            .and_then(|name| name.to_str())
            .expect("utf-8 name")
            .to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
