//! Cookies over real TCP, as a browser on one port uses the server's second port with
//! `credentials: 'include'`: `/cookie/set` sets one, `/cookie/get` shows what came back, and
//! both ports share one app.

mod support;

use pf_test_server::Config;
use serde_json::json;
use support::TestServer;

#[tokio::test]
async fn set_then_get_a_cookie_on_the_second_port() {
    let (first, second) = TestServer::start_with_second_port(Config::default()).await;
    let page = format!("http://127.0.0.1:{}", first.addr.port());
    let res = second
        .raw(
            &format!("GET /cookie/set?name=sid&value=s3cr3t HTTP/1.1\r\nHost: test\r\nOrigin: {page}\r\n\r\n"),
            "",
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("set-cookie"),
        Some("sid=s3cr3t; Path=/; SameSite=Lax")
    );
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some(page.as_str())
    );
    assert_eq!(res.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(res.json()["setCookie"], "sid=s3cr3t; Path=/; SameSite=Lax");

    let res = second
        .raw(
            &format!(
                "GET /cookie/get HTTP/1.1\r\nHost: test\r\nOrigin: {page}\r\n\
                 Cookie: sid=s3cr3t; theme=dark\r\n\r\n"
            ),
            "",
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.json(),
        json!({"cookies": {"sid": "s3cr3t", "theme": "dark"}, "header": "sid=s3cr3t; theme=dark"})
    );
    let none = second.get("/cookie/get").await.json();
    assert_eq!(none, json!({"cookies": {}, "header": null}));
}

#[tokio::test]
async fn clear_expires_the_cookie_and_bad_ones_are_refused() {
    let server = TestServer::start(Config::default()).await;
    let res = server.get("/cookie/clear?name=sid").await;
    assert_eq!(
        res.header("set-cookie"),
        Some("sid=; Path=/; Max-Age=0; SameSite=Lax")
    );
    let res = server.get("/cookie/set?name=x&value=1&samesite=None").await;
    assert_eq!(
        res.header("set-cookie"),
        Some("x=1; Path=/; SameSite=None; Secure")
    );
    for path in [
        "/cookie/set?value=1",
        "/cookie/set?name=a;b",
        "/cookie/clear",
    ] {
        let res = server.get(path).await;
        assert_eq!(res.status, 400, "{path}");
        assert_eq!(res.header("set-cookie"), None, "{path}");
    }
}

#[tokio::test]
async fn both_ports_share_the_hit_records() {
    let (first, second) = TestServer::start_with_second_port(Config::default()).await;
    assert_ne!(first.addr, second.addr);
    first.get("/r?key=shared").await;
    second.get("/r?key=shared").await;
    assert_eq!(first.stats("shared").await["hits"], 2);
    assert_eq!(second.stats("shared").await["hits"], 2);
}
