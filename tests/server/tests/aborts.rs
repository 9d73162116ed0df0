//! Hangs, delays, slow bodies and drops over real TCP: the server must notice a
//! client that goes away (`aborted`) and drop connections when asked.

mod support;

use std::time::Duration;

use pf_test_server::Config;
use support::{read_head, TestServer};
use tokio::io::AsyncReadExt;

async fn server() -> TestServer {
    TestServer::start(Config::default()).await
}

const SOON: Duration = Duration::from_secs(1);

#[tokio::test]
async fn hanging_request_closed_by_the_client_counts_as_aborted() {
    let server = server().await;
    let stream = server.send_get("/r?key=h&hang=1").await;
    server.wait_for_stat("h", "hits", 1, SOON).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.stats("h").await["aborted"], 0, "still hanging");
    drop(stream);
    server.wait_for_stat("h", "aborted", 1, SOON).await;
    assert_eq!(server.stats("h").await["completed"], 0);
}

#[tokio::test]
async fn delayed_request_closed_during_the_delay_counts_as_aborted() {
    let server = server().await;
    let stream = server.send_get("/r?key=d&delay=2000").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(stream);
    // Within 1 s, so well before the delay ends: detection does not wait for a write.
    server.wait_for_stat("d", "aborted", 1, SOON).await;
    assert_eq!(server.stats("d").await["hits"], 1);
}

#[tokio::test]
async fn slow_body_cut_off_midway_counts_as_aborted() {
    let server = server().await;
    let mut stream = server.send_get("/r?key=s&slow_body=1500").await;
    let head = read_head(&mut stream).await;
    assert!(
        head.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    drop(stream);
    server.wait_for_stat("s", "aborted", 1, SOON).await;
    assert_eq!(server.stats("s").await["completed"], 0);
}

#[tokio::test]
async fn slow_body_read_to_the_end_counts_as_completed() {
    let server = server().await;
    let started = std::time::Instant::now();
    let res = server.get("/r?key=sc&slow_body=300").await;
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(res.json()["key"], "sc");
    let stats = server.stats("sc").await;
    assert_eq!(
        (stats["completed"].as_u64(), stats["aborted"].as_u64()),
        (Some(1), Some(0))
    );
}

#[tokio::test]
async fn drop_closes_the_connection_without_a_byte() {
    let server = server().await;
    let mut stream = server.send_get("/r?key=x&drop=1&delay=50").await;
    let mut bytes = Vec::new();
    let read = tokio::time::timeout(SOON, stream.read_to_end(&mut bytes))
        .await
        .expect("the connection is closed soon");
    match read {
        Ok(_) => assert!(
            bytes.is_empty(),
            "got {:?}",
            String::from_utf8_lossy(&bytes)
        ),
        Err(err) => assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset),
    }
    let stats = server.stats("x").await;
    assert_eq!(stats["hits"], 1);
    assert_eq!(
        (stats["completed"].as_u64(), stats["aborted"].as_u64()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn drop_first_and_hang_first_only_affect_the_first_hits() {
    let server = server().await;
    let mut stream = server.send_get("/r?key=df&drop_first=1").await;
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes).await;
    assert!(bytes.is_empty());
    assert_eq!(server.get("/r?key=df&drop_first=1").await.status, 200);

    let stream = server.send_get("/r?key=hf&hang_first=1").await;
    server.wait_for_stat("hf", "hits", 1, SOON).await;
    let res = server.get("/r?key=hf&hang_first=1").await;
    assert_eq!(res.json()["hit"], 2);
    drop(stream);
    server.wait_for_stat("hf", "aborted", 1, SOON).await;
    assert_eq!(server.stats("hf").await["completed"], 1);
}

#[tokio::test]
async fn delay_holds_back_the_headers() {
    let server = server().await;
    let started = std::time::Instant::now();
    let res = server.get("/r?key=dl&delay=200").await;
    assert_eq!(res.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.stats("dl").await["completed"], 1);
}

#[tokio::test]
async fn hanging_post_closed_by_the_client_counts_as_aborted() {
    use tokio::io::AsyncWriteExt;
    let server = server().await;
    let mut stream = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let request = "POST /r?key=hp&hang=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
    stream.write_all(request.as_bytes()).await.expect("write");
    server.wait_for_stat("hp", "hits", 1, SOON).await;
    drop(stream);
    server.wait_for_stat("hp", "aborted", 1, SOON).await;
}

#[tokio::test]
async fn client_gone_while_sending_the_body_counts_as_aborted() {
    use tokio::io::AsyncWriteExt;
    let server = server().await;
    let mut stream = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let request = "PUT /r?key=pb HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\npartial";
    stream.write_all(request.as_bytes()).await.expect("write");
    server.wait_for_stat("pb", "hits", 1, SOON).await;
    drop(stream);
    server.wait_for_stat("pb", "aborted", 1, SOON).await;
    assert_eq!(server.stats("pb").await["completed"], 0);
}
