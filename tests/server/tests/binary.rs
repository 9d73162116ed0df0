//! The `pf-test-server` binary: announces its port, writes the port file, stops
//! cleanly on SIGTERM and SIGINT.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use support::{TempDir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_pf-test-server");

/// Starts the binary with `args`; returns it and the port from its first line.
fn spawn(args: &[&str]) -> (Child, u16) {
    let (child, lines) = spawn_lines(args, 1);
    let port = port_in(&lines[0], "listening on http://127.0.0.1:");
    (child, port)
}

/// Starts the binary with `args`; returns it and the first `n` lines it prints.
fn spawn_lines(args: &[&str], n: usize) -> (Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let lines = (0..n)
        .map(|_| {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read line");
            line
        })
        .collect();
    (child, lines)
}

/// The port at the end of `line`, after `prefix`.
fn port_in(line: &str, prefix: &str) -> u16 {
    line.strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix('\n'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
}

/// Sends `signal` (e.g. "TERM") and waits up to 2 s for the exit.
fn stop(mut child: Child, signal: &str) -> ExitStatus {
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 2 s after SIG{signal}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[tokio::test]
async fn announces_the_port_and_writes_the_port_file() {
    let dir = TempDir::new("bin");
    let port_file = dir.path().join("port");
    let mount = format!("/={}", dir.path().display());
    let port_file_arg = port_file.display().to_string();
    let (child, port) = spawn(&[
        "--port",
        "0",
        "--port-file",
        &port_file_arg,
        "--mount",
        &mount,
    ]);
    assert_ne!(port, 0);
    assert_eq!(
        std::fs::read_to_string(&port_file).expect("port file"),
        port.to_string()
    );
    let server = TestServer::at(([127, 0, 0, 1], port).into());
    assert_eq!(server.get("/port").await.text(), port.to_string());
    // A hanging request must not hold up the exit.
    let _hanging = server.send_get("/r?key=h&hang=1").await;
    server
        .wait_for_stat("h", "hits", 1, Duration::from_secs(1))
        .await;
    assert!(stop(child, "TERM").success());
}

#[tokio::test]
async fn a_second_port_serves_the_same_app() {
    let dir = TempDir::new("bin2");
    let port_file = dir.path().join("port");
    let second_file = dir.path().join("port2");
    let (child, lines) = spawn_lines(
        &[
            "--port-file",
            &port_file.display().to_string(),
            "--second-port-file",
            &second_file.display().to_string(),
        ],
        2,
    );
    let port = port_in(&lines[0], "listening on http://127.0.0.1:");
    let second = port_in(&lines[1], "also listening on http://127.0.0.1:");
    assert_ne!(port, second);
    let read = |path: &std::path::Path| std::fs::read_to_string(path).expect("port file");
    assert_eq!(read(&port_file), port.to_string());
    assert_eq!(read(&second_file), second.to_string());
    let first = TestServer::at(([127, 0, 0, 1], port).into());
    let other = TestServer::at(([127, 0, 0, 1], second).into());
    first.get("/r?key=both").await;
    other.get("/r?key=both").await;
    assert_eq!(first.stats("both").await["hits"], 2);
    assert!(stop(child, "TERM").success());
}

#[test]
fn a_tls_port_is_announced_and_written() {
    let dir = TempDir::new("bin3");
    let tls_file = dir.path().join("tls");
    let (child, lines) = spawn_lines(&["--tls-port-file", &tls_file.display().to_string()], 2);
    let tls = port_in(&lines[1], "also listening on https://127.0.0.1:");
    assert_eq!(
        std::fs::read_to_string(&tls_file).expect("port file"),
        tls.to_string()
    );
    assert!(stop(child, "TERM").success());
}

#[test]
fn signals_right_after_the_announcement_exit_cleanly() {
    for signal in ["TERM", "INT"] {
        let (child, _) = spawn(&[]);
        let status = stop(child, signal);
        assert!(status.success(), "SIG{signal}: {status}");
    }
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let output = Command::new(BIN)
        .args(["--port", "eighty"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--port eighty"), "{stderr}");
    assert!(stderr.contains("usage:"), "{stderr}");
}
