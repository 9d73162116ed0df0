//! Static mounts over real TCP.

mod support;

use pf_test_server::{Config, Mount};
use support::{TempDir, TestServer};

/// A server with `/` and `/pkg` mounted, plus a sibling directory holding
/// `secret.txt` that must stay out of reach.
struct Fixture {
    server: TestServer,
    secret: TempDir,
    /// Kept so the mounted directories live as long as the server.
    _mounted: [TempDir; 2],
}

async fn fixture() -> Fixture {
    let (www, pkg, secret) = (
        TempDir::new("www"),
        TempDir::new("pkg"),
        TempDir::new("secret"),
    );
    let write = |dir: &TempDir, name: &str, bytes: &[u8]| {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    };
    write(&www, "index.html", b"<h1>demo</h1>");
    write(&www, "app.mjs", b"export {}");
    write(&www, "r", b"shadowed by the API");
    std::fs::create_dir(www.path().join("docs")).expect("mkdir");
    write(&www, "docs/index.html", b"docs");
    write(&pkg, "parallel_fetch_bg.wasm", b"\0asm");
    write(&pkg, "parallel_fetch.d.ts", b"export {};");
    write(&secret, "secret.txt", b"secret");
    let config = Config {
        mounts: vec![
            Mount::new("/", www.path()).expect("mount"),
            Mount::new("/pkg", pkg.path()).expect("mount"),
        ],
        ..Config::default()
    };
    Fixture {
        server: TestServer::start(config).await,
        secret,
        _mounted: [www, pkg],
    }
}

#[tokio::test]
async fn serves_files_with_their_content_type() {
    let fixture = fixture().await;
    let server = &fixture.server;
    for (path, content_type, body) in [
        ("/", "text/html; charset=utf-8", &b"<h1>demo</h1>"[..]),
        ("/index.html", "text/html; charset=utf-8", b"<h1>demo</h1>"),
        ("/app.mjs", "text/javascript; charset=utf-8", b"export {}"),
        ("/docs/", "text/html; charset=utf-8", b"docs"),
        ("/pkg/parallel_fetch_bg.wasm", "application/wasm", b"\0asm"),
        (
            "/pkg/parallel_fetch.d.ts",
            "text/typescript; charset=utf-8",
            b"export {};",
        ),
    ] {
        let res = server.get(path).await;
        assert_eq!(res.status, 200, "{path}");
        assert_eq!(res.header("content-type"), Some(content_type), "{path}");
        assert_eq!(
            res.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
        assert_eq!(res.body, body, "{path}");
    }
}

#[tokio::test]
async fn missing_files_and_directories_without_slash() {
    let fixture = fixture().await;
    let server = &fixture.server;
    assert_eq!(server.get("/nope.js").await.status, 404);
    assert_eq!(server.get("/pkg/nope.wasm").await.status, 404);
    let res = server.get("/docs").await;
    assert_eq!((res.status, res.header("location")), (301, Some("/docs/")));
    let res = server
        .raw(
            "POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n",
            "",
        )
        .await;
    assert_eq!(res.status, 405);
}

#[tokio::test]
async fn refuses_path_traversal() {
    let fixture = fixture().await;
    let server = &fixture.server;
    let secret = format!("{}/secret.txt", fixture.secret.name());
    for path in [
        format!("/../{secret}"),
        format!("/pkg/../../{secret}"),
        format!("/%2e%2e/{secret}"),
        format!("/pkg/%2E%2E/%2e%2e/{secret}"),
    ] {
        let res = server.get(&path).await;
        assert_eq!(res.status, 403, "{path}");
        assert!(!res.text().contains("secret\n"), "{path}");
    }
}

#[tokio::test]
async fn api_routes_win_over_mounts() {
    let fixture = fixture().await;
    let server = &fixture.server;
    let res = server.get("/r?key=api").await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.json()["key"], "api");
}
