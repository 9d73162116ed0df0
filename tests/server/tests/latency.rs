//! `/r` long-tail latency over real TCP: `tail_rate` of the hits wait `tail_delay` instead of
//! `delay`, and `jitter` adds a uniform extra wait; `/stats` gives each hit's wait.

mod support;

use std::time::{Duration, Instant};

use pf_test_server::Config;
use support::TestServer;

async fn server() -> TestServer {
    TestServer::start(Config::default()).await
}

/// The `delays` of `key`, in ms.
async fn delays(server: &TestServer, key: &str) -> Vec<u64> {
    server.stats(key).await["delays"]
        .as_array()
        .expect("delays")
        .iter()
        .filter_map(serde_json::Value::as_u64)
        .collect()
}

#[tokio::test]
async fn a_tail_hit_waits_tail_delay_instead_of_delay() {
    let server = server().await;
    let started = Instant::now();
    let res = server
        .get("/r?key=slow&delay=10&tail_rate=1&tail_delay=250")
        .await;
    assert_eq!(res.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    server
        .get("/r?key=fast&delay=10&tail_rate=0&tail_delay=5000")
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(delays(&server, "slow").await, [250]);
    assert_eq!(delays(&server, "fast").await, [10]);
}

#[tokio::test]
async fn tail_rate_picks_that_share_of_hits() {
    let server = server().await;
    for _ in 0..200 {
        server
            .get("/r?key=tail&delay=1&tail_rate=0.5&tail_delay=3")
            .await;
    }
    let delays = delays(&server, "tail").await;
    assert_eq!(delays.len(), 200);
    assert!(delays.iter().all(|d| *d == 1 || *d == 3), "{delays:?}");
    // Binomial(200, 0.5): sd ≈ 7, so 60..=140 is more than 5 sd on each side.
    let tail = delays.iter().filter(|d| **d == 3).count();
    assert!((60..=140).contains(&tail), "{tail} of 200 in the tail");
}

#[tokio::test]
async fn jitter_adds_up_to_its_value() {
    let server = server().await;
    for _ in 0..40 {
        server.get("/r?key=jit&delay=2&jitter=10").await;
    }
    let delays = delays(&server, "jit").await;
    assert!(delays.iter().all(|d| (2..12).contains(d)), "{delays:?}");
    // 40 draws of 10 possible values: all equal has odds of about 1e-38.
    assert!(delays.iter().any(|d| *d != delays[0]), "{delays:?}");
}

#[tokio::test]
async fn tail_rate_without_tail_delay_is_refused() {
    let server = server().await;
    let res = server.get("/r?tail_rate=0.1").await;
    assert_eq!(res.status, 400);
    assert!(res.text().contains("tail_delay"), "{}", res.text());
}
