//! `pf-test-server`: the loopback test, demo and benchmark server. See `--help`.

use std::future::Future;
use std::io::Write;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::ExitCode;

use pf_test_server::cli::{self, Args, Command, USAGE};
use pf_test_server::{port_file, serve_all_until, Listener};
use tokio::net::TcpListener;

fn main() -> ExitCode {
    let args = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Run(args)) => args,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("pf-test-server: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("pf-test-server: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("pf-test-server: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Binds 127.0.0.1 (only), announces the port(s), serves until SIGTERM or SIGINT.
async fn run(args: Args) -> Result<(), String> {
    let shutdown = shutdown_signal()?;
    let (listener, port) = bind(args.port).await?;
    let mut listeners = vec![Listener::plain(listener)];
    let mut lines = vec![format!("listening on http://127.0.0.1:{port}")];
    if let Some(second) = args.second_port() {
        let (listener, second) = bind(second).await?;
        listeners.push(Listener::plain(listener));
        lines.push(format!("also listening on http://127.0.0.1:{second}"));
        if let Some(path) = &args.second_port_file {
            write_port_file(path, second)?;
        }
    }
    if let Some(tls_port) = args.tls_port() {
        let (listener, tls_port) = bind(tls_port).await?;
        listeners.push(Listener::tls(listener)?);
        lines.push(format!("also listening on https://127.0.0.1:{tls_port}"));
        if let Some(path) = &args.tls_port_file {
            write_port_file(path, tls_port)?;
        }
    }
    // Last, so that a script that sees this file can rely on the others being there.
    if let Some(path) = &args.port_file {
        write_port_file(path, port)?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", lines.join("\n"))
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("cannot write to stdout: {err}"))?;
    drop(stdout);
    serve_all_until(listeners, args.config(), shutdown).await;
    Ok(())
}

/// Listens on `127.0.0.1:port`; returns the listener and the port it got.
async fn bind(port: u16) -> Result<(TcpListener, u16), String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|err| format!("cannot listen on 127.0.0.1:{port}: {err}"))?;
    let port = listener
        .local_addr()
        .map_err(|err| format!("cannot read the bound address: {err}"))?
        .port();
    Ok((listener, port))
}

fn write_port_file(path: &Path, port: u16) -> Result<(), String> {
    port_file::write(path, port)
        .map_err(|err| format!("cannot write the port file {}: {err}", path.display()))
}

/// Installs the SIGTERM and SIGINT handlers now (so a signal sent right after the
/// "listening" line is not lost) and returns a future that completes on either.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl Future<Output = ()>, String> {
    use tokio::signal::unix::{signal, SignalKind};
    let watch = |kind: SignalKind, name: &str| {
        signal(kind).map_err(|err| format!("cannot watch {name}: {err}"))
    };
    let mut term = watch(SignalKind::terminate(), "SIGTERM")?;
    let mut int = watch(SignalKind::interrupt(), "SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

/// Returns a future that completes on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl Future<Output = ()>, String> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
