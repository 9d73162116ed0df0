//! Rate-limit headers on `/r` over real TCP: passed through as given, or from the server's own
//! per-key quota, which answers 429 once it is used up.

mod support;

use std::time::Duration;

use pf_test_server::Config;
use support::TestServer;

async fn server() -> TestServer {
    TestServer::start(Config::default()).await
}

#[tokio::test]
async fn given_rate_limit_headers_are_sent_on_any_answer() {
    let server = server().await;
    let res = server
        .get("/r?ratelimit=4,30&ratelimit_policy=10,60&x_ratelimit=7,1700000000&status=500")
        .await;
    assert_eq!(res.status, 500);
    assert_eq!(res.header("ratelimit"), Some(r#""default";r=4;t=30"#));
    assert_eq!(
        res.header("ratelimit-policy"),
        Some(r#""default";q=10;w=60"#)
    );
    assert_eq!(res.header("x-ratelimit-remaining"), Some("7"));
    assert_eq!(res.header("x-ratelimit-reset"), Some("1700000000"));
    let res = server.get("/r?ratelimit=0,5").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("ratelimit-policy"), Some(r#""default";q=1;w=5"#));
    let plain = server.get("/r").await;
    assert_eq!(plain.header("ratelimit"), None);
}

#[tokio::test]
async fn a_used_up_quota_answers_429_with_retry_after() {
    let server = server().await;
    let path = "/r?key=q&quota=3&window=60000";
    let mut seen = Vec::new();
    for _ in 0..4 {
        let res = server.get(path).await;
        seen.push((
            res.status,
            res.header("ratelimit").map(str::to_owned),
            res.header("retry-after").map(str::to_owned),
        ));
        assert_eq!(
            res.header("ratelimit-policy"),
            Some(r#""default";q=3;w=60"#)
        );
    }
    let limit = |r: u32| Some(format!(r#""default";r={r};t=60"#));
    assert_eq!(
        seen,
        [
            (200, limit(2), None),
            (200, limit(1), None),
            (200, limit(0), None),
            (429, limit(0), Some("60".to_owned())),
        ]
    );
    let stats = server.stats("q").await;
    assert_eq!(
        (stats["hits"].as_u64(), stats["limited"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(stats["completed"], 4);
}

#[tokio::test]
async fn a_client_that_honours_the_headers_draws_no_429() {
    let server = server().await;
    let path = "/r?key=polite&quota=2&window=300";
    for _ in 0..4 {
        let res = server.get(path).await;
        assert_eq!(res.status, 200);
        let limit = res.header("ratelimit").expect("ratelimit");
        if limit.contains(";r=0;") {
            let reset: u64 = limit
                .rsplit("t=")
                .next()
                .and_then(|t| t.parse().ok())
                .expect("t=");
            assert_eq!(reset, 1, "300 ms round up to 1 s");
            tokio::time::sleep(Duration::from_secs(reset)).await;
        }
    }
    let stats = server.stats("polite").await;
    assert_eq!(
        (stats["hits"].as_u64(), stats["limited"].as_u64()),
        (Some(4), Some(0))
    );
}

#[tokio::test]
async fn a_quota_needs_a_key_and_a_window() {
    let server = server().await;
    for path in [
        "/r?quota=1&window=100",
        "/r?key=k&quota=1",
        "/r?key=k&quota=1&window=0",
    ] {
        assert_eq!(server.get(path).await.status, 400, "{path}");
    }
}
