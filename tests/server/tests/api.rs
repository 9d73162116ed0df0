//! The API routes over real TCP: CORS, `/r` answers, `/echo`, `/stats`, `/reset`.

mod support;

use pf_test_server::Config;
use support::TestServer;

async fn server() -> TestServer {
    TestServer::start(Config::default()).await
}

#[tokio::test]
async fn preflight_answers_204_and_is_not_a_hit() {
    let server = server().await;
    let res = server
        .raw(
            "OPTIONS /r?key=pre HTTP/1.1\r\nHost: test\r\nOrigin: http://localhost:1\r\n\
             Access-Control-Request-Method: PROPFIND\r\n\
             Access-Control-Request-Headers: x-trace, content-type\r\n\r\n",
            "",
        )
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some("http://localhost:1")
    );
    assert_eq!(res.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(res.header("vary"), Some("Origin"));
    assert_eq!(
        res.header("access-control-allow-methods"),
        Some("PROPFIND, GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS")
    );
    assert_eq!(
        res.header("access-control-allow-headers"),
        Some("x-trace, content-type")
    );
    assert_eq!(res.header("access-control-max-age"), Some("600"));
    assert!(res.body.is_empty());
    assert_eq!(server.stats("pre").await["hits"], 0);
}

#[tokio::test]
async fn credentialed_requests_get_their_origin_back() {
    let server = server().await;
    let origin = "http://127.0.0.1:4242";
    let res = server
        .raw(
            &format!(
                "OPTIONS /r?key=cred HTTP/1.1\r\nHost: test\r\nOrigin: {origin}\r\n\
                 Access-Control-Request-Method: DELETE\r\n\
                 Access-Control-Request-Headers: authorization, idempotency-key\r\n\r\n"
            ),
            "",
        )
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(res.header("access-control-allow-origin"), Some(origin));
    assert_eq!(res.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(
        res.header("access-control-allow-headers"),
        Some("authorization, idempotency-key")
    );
    let methods = res.header("access-control-allow-methods").expect("methods");
    for method in ["PUT", "PATCH", "DELETE", "OPTIONS"] {
        assert!(methods.contains(method), "{method} in {methods}");
    }
    let res = server
        .raw(
            &format!("GET /r?key=cred HTTP/1.1\r\nHost: test\r\nOrigin: {origin}\r\n\r\n"),
            "",
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), Some(origin));
    assert_eq!(res.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(res.header("vary"), Some("Origin"));
}

#[tokio::test]
async fn plain_options_is_a_hit() {
    let server = server().await;
    let res = server
        .raw("OPTIONS /r?key=opt HTTP/1.1\r\nHost: test\r\n\r\n", "")
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        server.stats("opt").await["methods"],
        serde_json::json!(["OPTIONS"])
    );
}

#[tokio::test]
async fn default_answer_describes_the_hit() {
    let server = server().await;
    let res = server.get("/r?key=k&x=a%20b").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(res.header("access-control-allow-origin"), Some("*"));
    assert_eq!(res.header("access-control-allow-credentials"), None);
    let exposed = res.header("access-control-expose-headers").expect("expose");
    for name in [
        "*",
        "Retry-After",
        "RateLimit",
        "RateLimit-Policy",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
    ] {
        assert!(
            exposed.split(", ").any(|n| n == name),
            "{name} in {exposed}"
        );
    }
    assert_eq!(
        res.json(),
        serde_json::json!({
            "key": "k", "hit": 1, "method": "GET", "status": 200,
            "query": {"key": "k", "x": "a b"},
        })
    );
    let keyless = server.get("/r").await.json();
    assert_eq!(keyless["key"], serde_json::Value::Null);
    assert_eq!(keyless["hit"], 0);
}

#[tokio::test]
async fn fail_answers_fail_status_for_the_first_hits() {
    let server = server().await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(server.get("/r?key=f&fail=2").await.status);
    }
    assert_eq!(statuses, [503, 503, 200]);
    let stats = server.stats("f").await;
    assert_eq!(stats["hits"], 3);
    assert_eq!(stats["completed"], 3);
    assert_eq!(stats["aborted"], 0);
    assert_eq!(stats["methods"], serde_json::json!(["GET", "GET", "GET"]));
    let times = stats["times"].as_array().expect("times");
    assert_eq!(times.len(), 3);
    assert!(times.windows(2).all(|w| w[0].as_u64() <= w[1].as_u64()));
}

#[tokio::test]
async fn fail_rate_fails_that_share_of_hits_at_random() {
    let server = server().await;
    let statuses = |path: &'static str, n: usize| {
        let server = &server;
        async move {
            let mut statuses = Vec::new();
            for _ in 0..n {
                statuses.push(server.get(path).await.status);
            }
            statuses
        }
    };
    assert!(statuses("/r?fail_rate=0", 20)
        .await
        .iter()
        .all(|s| *s == 200));
    let always = statuses("/r?fail_rate=1&fail_status=500&retry_after=2", 20).await;
    assert!(always.iter().all(|s| *s == 500), "{always:?}");
    let res = server.get("/r?fail_rate=1&retry_after=2").await;
    assert_eq!((res.status, res.header("retry-after")), (503, Some("2")));
    // Binomial(200, 0.5): sd ≈ 7, so 60..=140 is more than 5 sd on each side.
    let half = statuses("/r?fail_rate=0.5", 200).await;
    let failed = half.iter().filter(|s| **s == 503).count();
    assert_eq!(failed + half.iter().filter(|s| **s == 200).count(), 200);
    assert!((60..=140).contains(&failed), "{failed} of 200 failed");
}

#[tokio::test]
async fn retry_after_passes_through_on_non_2xx_only() {
    let server = server().await;
    let date = "Wed,%2021%20Oct%202015%2007:28:00%20GMT";
    let res = server
        .get(&format!(
            "/r?key=ra&fail=1&fail_status=429&retry_after={date}"
        ))
        .await;
    assert_eq!(res.status, 429);
    assert_eq!(
        res.header("retry-after"),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    let res = server.get("/r?key=ra&fail=1&retry_after=3").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("retry-after"), None);
    let res = server.get("/r?status=500&retry_after=3").await;
    assert_eq!((res.status, res.header("retry-after")), (500, Some("3")));
}

#[tokio::test]
async fn body_variants() {
    let server = server().await;
    let res = server.get("/r?invalid_json=1").await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.text(), r#"{"broken":"#);
    assert!(serde_json::from_slice::<serde_json::Value>(&res.body).is_err());

    let res = server
        .get("/r?content_type=text/csv&body=a,b%0A1,2&status=201")
        .await;
    assert_eq!(res.status, 201);
    assert_eq!(res.header("content-type"), Some("text/csv"));
    assert_eq!(res.text(), "a,b\n1,2");

    let res = server.get("/r?empty=1&status=202").await;
    assert_eq!(res.status, 202);
    assert!(res.body.is_empty());

    let res = server.get("/r?key=nc&status=204").await;
    assert_eq!(res.status, 204);
    assert!(res.body.is_empty());
    assert_eq!(server.stats("nc").await["completed"], 1);
}

#[tokio::test]
async fn bad_params_are_400_with_a_message() {
    let server = server().await;
    for (path, needle) in [
        ("/r?delay=soon", "`delay=soon`"),
        ("/r?status=42", "`status=42`"),
        ("/r?fail=2", "needs a `key`"),
        ("/r?hang=maybe", "`hang=maybe`"),
        ("/r?fail_rate=2", "`fail_rate=2`"),
        ("/stats", "needs a `key`"),
    ] {
        let res = server.get(path).await;
        assert_eq!(res.status, 400, "{path}");
        assert!(res.text().contains(needle), "{path}: {}", res.text());
        assert_eq!(res.header("access-control-allow-origin"), Some("*"));
    }
}

#[tokio::test]
async fn echo_returns_method_url_headers_and_body() {
    let server = server().await;
    let body = "héllo";
    let res = server
        .raw(
            &format!(
                "PUT /echo?a=1 HTTP/1.1\r\nHost: test\r\nX-Trace: one\r\nX-Trace: two\r\n\
                 Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ),
            body,
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let echo = res.json();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["url"], "/echo?a=1");
    assert_eq!(echo["headers"]["x-trace"], "one, two");
    assert_eq!(echo["headers"]["content-type"], "text/plain");
    assert_eq!(echo["body"], body);
}

#[tokio::test]
async fn reset_clears_every_record() {
    let server = server().await;
    server.get("/r?key=z").await;
    assert_eq!(server.stats("z").await["hits"], 1);
    let res = server.get("/reset").await;
    assert_eq!(res.status, 405);
    let res = server
        .raw(
            "POST /reset HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n",
            "",
        )
        .await;
    assert_eq!(res.status, 204);
    let stats = server.stats("z").await;
    assert_eq!(
        stats,
        serde_json::json!({
            "key": "z", "hits": 0, "completed": 0, "aborted": 0, "inFlight": 0, "maxInFlight": 0, "limited": 0,
            "methods": [], "times": [], "delays": [], "urls": [], "headers": [], "redirects": [],
        })
    );
}

#[tokio::test]
async fn without_keep_alive_every_response_closes_its_connection() {
    use tokio::io::AsyncReadExt;
    let server = TestServer::start(Config {
        keep_alive: false,
        ..Config::default()
    })
    .await;
    // No `Connection: close` from the client: the server must close by itself.
    let mut stream = server.send_get("/r?key=ka").await;
    let mut bytes = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(1),
        stream.read_to_end(&mut bytes),
    )
    .await
    .expect("closed after one response")
    .expect("read");
    let res = support::RawResponse::parse(&bytes);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("connection"), Some("close"));
}
