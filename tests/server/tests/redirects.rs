//! `/r` redirects over real TCP: `redirect=N` hops back to itself N times, `to=PATH` goes
//! elsewhere on the server, and the hit record notes each `Location`.

mod support;

use pf_test_server::Config;
use serde_json::json;
use support::TestServer;

async fn server() -> TestServer {
    TestServer::start(Config::default()).await
}

#[tokio::test]
async fn redirect_counts_down_to_a_normal_answer() {
    let server = server().await;
    let mut path = "/r?key=rd&redirect=2&x=a%20b".to_owned();
    let mut statuses = Vec::new();
    let last = loop {
        let res = server.get(&path).await;
        statuses.push(res.status);
        match res.header("location") {
            Some(location) => path = location.to_owned(),
            None => break res,
        }
        assert!(statuses.len() < 5, "too many redirects: {statuses:?}");
    };
    assert_eq!(statuses, [302, 302, 200]);
    assert_eq!(path, "/r?key=rd&redirect=0&x=a+b");
    assert_eq!(
        last.json()["query"],
        json!({"key": "rd", "redirect": "0", "x": "a b"})
    );
    let stats = server.stats("rd").await;
    assert_eq!(stats["hits"], 3);
    assert_eq!(stats["completed"], 3);
    assert_eq!(
        stats["redirects"],
        json!([
            "/r?key=rd&redirect=1&x=a+b",
            "/r?key=rd&redirect=0&x=a+b",
            null
        ])
    );
    assert_eq!(
        stats["urls"],
        json!([
            "/r?key=rd&redirect=2&x=a%20b",
            "/r?key=rd&redirect=1&x=a+b",
            "/r?key=rd&redirect=0&x=a+b"
        ])
    );
}

#[tokio::test]
async fn to_redirects_to_a_path_on_this_server() {
    let server = server().await;
    let res = server
        .get("/r?key=from&to=%2Fr%3Fkey%3Dlanded&redirect_status=307")
        .await;
    assert_eq!(res.status, 307);
    assert_eq!(res.header("location"), Some("/r?key=landed"));
    assert_eq!(res.header("access-control-allow-origin"), Some("*"));
    assert!(res.body.is_empty());
    assert_eq!(
        server.stats("from").await["redirects"],
        json!(["/r?key=landed"])
    );

    // `redirect` hops first, then `to`.
    let res = server.get("/r?redirect=1&to=/echo").await;
    assert_eq!(res.header("location"), Some("/r?redirect=0&to=%2Fecho"));
    let res = server.get("/r?redirect=0&to=%2Fecho").await;
    assert_eq!((res.status, res.header("location")), (302, Some("/echo")));
}

#[tokio::test]
async fn failures_come_before_redirects() {
    let server = server().await;
    let path = "/r?key=fr&fail=1&redirect=1";
    assert_eq!(server.get(path).await.status, 503);
    assert_eq!(server.get(path).await.status, 302);
    assert_eq!(
        server.stats("fr").await["redirects"],
        json!([null, "/r?key=fr&fail=1&redirect=0"])
    );
}

#[tokio::test]
async fn redirects_off_the_server_are_refused() {
    let server = server().await;
    for path in [
        "/r?to=http://example.com/",
        "/r?to=//example.com",
        "/r?redirect_status=200&to=/",
    ] {
        let res = server.get(path).await;
        assert_eq!(res.status, 400, "{path}");
    }
}
