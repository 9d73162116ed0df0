//! What `/stats` records per hit over real TCP: URLs, request headers, and how many hits of a
//! key were in flight at once.

mod support;

use std::time::Duration;

use pf_test_server::Config;
use serde_json::json;
use support::TestServer;

async fn server() -> TestServer {
    TestServer::start(Config::default()).await
}

const SOON: Duration = Duration::from_secs(2);

#[tokio::test]
async fn each_hit_keeps_its_url_and_lower_cased_headers() {
    let server = server().await;
    for attempt in ["1", "2"] {
        let res = server
            .raw(
                &format!(
                    "POST /r?key=idem&n={attempt} HTTP/1.1\r\nHost: test\r\n\
                     Idempotency-Key: 7f3a\r\nAuthorization: Bearer t0k\r\n\
                     X-Trace: one\r\nX-Trace: two\r\nContent-Length: 0\r\n\r\n"
                ),
                "",
            )
            .await;
        assert_eq!(res.status, 200);
    }
    let stats = server.stats("idem").await;
    assert_eq!(stats["urls"], json!(["/r?key=idem&n=1", "/r?key=idem&n=2"]));
    let headers = stats["headers"].as_array().expect("headers");
    assert_eq!(headers.len(), 2);
    for hit in headers {
        assert_eq!(hit["idempotency-key"], "7f3a");
        assert_eq!(hit["authorization"], "Bearer t0k");
        assert_eq!(hit["x-trace"], "one, two");
        assert_eq!(hit["host"], "test");
        assert_eq!(hit["connection"], "close");
    }
}

#[tokio::test]
async fn max_in_flight_counts_overlapping_hits() {
    let server = server().await;
    let path = "/r?key=conc&delay=300";
    let (a, b, c) = tokio::join!(server.get(path), server.get(path), server.get(path));
    assert_eq!((a.status, b.status, c.status), (200, 200, 200));
    // One more, alone: it does not raise the maximum.
    server.get(path).await;
    let stats = server.stats("conc").await;
    assert_eq!(stats["hits"], 4);
    assert_eq!(stats["maxInFlight"], 3);
    assert_eq!(stats["inFlight"], 0);
    assert_eq!(stats["completed"], 4);
}

#[tokio::test]
async fn in_flight_lasts_until_the_body_ends_or_the_client_leaves() {
    let server = server().await;
    let hanging = server.send_get("/r?key=fl&hang=1").await;
    let slow = server.send_get("/r?key=fl&slow_body=400").await;
    server.wait_for_stat("fl", "inFlight", 2, SOON).await;
    // The slow body ends by itself even though nobody reads it (it is small).
    server.wait_for_stat("fl", "inFlight", 1, SOON).await;
    drop(hanging);
    server.wait_for_stat("fl", "inFlight", 0, SOON).await;
    let stats = server.stats("fl").await;
    assert_eq!(stats["maxInFlight"], 2);
    assert_eq!(
        (stats["completed"].as_u64(), stats["aborted"].as_u64()),
        (Some(1), Some(1))
    );
    drop(slow);
}

#[tokio::test]
async fn a_connection_the_server_drops_is_no_longer_in_flight() {
    let server = server().await;
    let res = tokio::time::timeout(SOON, async {
        let mut stream = server.send_get("/r?key=dr&drop=1").await;
        let mut bytes = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut bytes).await
    })
    .await
    .expect("closed in time");
    // Nothing at all was written: either a clean EOF or a reset.
    assert!(!matches!(res, Ok(n) if n > 0), "{res:?}");
    server.wait_for_stat("dr", "hits", 1, SOON).await;
    server.wait_for_stat("dr", "inFlight", 0, SOON).await;
    let stats = server.stats("dr").await;
    assert_eq!(
        (stats["completed"].as_u64(), stats["aborted"].as_u64()),
        (Some(0), Some(0))
    );
}
