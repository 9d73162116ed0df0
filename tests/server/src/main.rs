//! `pf-test-server`: the loopback test, demo and benchmark server. See `--help`.

use std::future::Future;
use std::io::Write;
use std::net::Ipv4Addr;
use std::process::ExitCode;

use pf_test_server::cli::{self, Args, Command, USAGE};
use pf_test_server::{port_file, serve_until};
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

/// Binds 127.0.0.1 (only), announces the port, serves until SIGTERM or SIGINT.
async fn run(args: Args) -> Result<(), String> {
    let shutdown = shutdown_signal()?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port))
        .await
        .map_err(|err| format!("cannot listen on 127.0.0.1:{}: {err}", args.port))?;
    let port = listener
        .local_addr()
        .map_err(|err| format!("cannot read the bound address: {err}"))?
        .port();
    if let Some(path) = &args.port_file {
        port_file::write(path, port)
            .map_err(|err| format!("cannot write the port file {}: {err}", path.display()))?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://127.0.0.1:{port}")
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("cannot write to stdout: {err}"))?;
    drop(stdout);
    serve_until(listener, args.config(), shutdown).await;
    Ok(())
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
