//! Command-line arguments of the `pf-test-server` binary.

use std::path::PathBuf;

use crate::config::{Config, Mount};

/// Usage text, printed by `--help` and after argument errors.
pub const USAGE: &str = "\
usage: pf-test-server [--port N] [--port-file PATH] [--second-port N] [--second-port-file PATH]
                      [--tls-port N] [--tls-port-file PATH] [--mount PREFIX=DIR]... [--no-keep-alive]

  --port N            port to listen on at 127.0.0.1 (default 0: any free port)
  --port-file PATH    once listening, write the port number to PATH (atomically)
  --second-port N     also serve the same app (same routes and /stats) on a second port
                      at 127.0.0.1 (0: any free port): a cross-origin but same-site
                      server, for credentialed CORS requests and cookies
  --second-port-file PATH
                      write the second port to PATH, before the --port-file (implies
                      --second-port 0 unless a port is given)
  --tls-port N        also serve the same app over HTTPS on a port at 127.0.0.1 (0: any
                      free port), HTTP/2 or HTTP/1.1 by ALPN, with a self-signed
                      certificate for 127.0.0.1 and localhost made at start (Chromium
                      needs --ignore-certificate-errors)
  --tls-port-file PATH
                      write the TLS port to PATH, before the --port-file (implies
                      --tls-port 0 unless a port is given)
  --mount PREFIX=DIR  serve the files of DIR under the URL PREFIX (repeatable;
                      the longest matching prefix wins, API routes win over mounts)
  --no-keep-alive     close every connection after one response (so browsers never
                      resend a dropped request on a reused connection)
  -h, --help          print this help";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print [`USAGE`] and exit.
    Help,
    /// Run the server.
    Run(Args),
}

/// Settings for running the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// Port at 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Where to write the bound port, if anywhere.
    pub port_file: Option<PathBuf>,
    /// Port of the second listener at 127.0.0.1 (0 picks a free one), if there is one.
    pub second_port: Option<u16>,
    /// Where to write the second listener's port, if anywhere.
    pub second_port_file: Option<PathBuf>,
    /// Port of the HTTPS listener at 127.0.0.1 (0 picks a free one), if there is one.
    pub tls_port: Option<u16>,
    /// Where to write the HTTPS listener's port, if anywhere.
    pub tls_port_file: Option<PathBuf>,
    /// Static mounts, in command-line order.
    pub mounts: Vec<Mount>,
    /// False with `--no-keep-alive`.
    pub keep_alive: bool,
}

impl Args {
    /// The second listener's port (0: any), if `--second-port` or `--second-port-file` asks
    /// for one.
    pub fn second_port(&self) -> Option<u16> {
        self.second_port
            .or_else(|| self.second_port_file.as_ref().map(|_| 0))
    }

    /// The HTTPS listener's port (0: any), if `--tls-port` or `--tls-port-file` asks for one.
    pub fn tls_port(&self) -> Option<u16> {
        self.tls_port
            .or_else(|| self.tls_port_file.as_ref().map(|_| 0))
    }

    /// The server configuration these arguments describe.
    pub fn config(&self) -> Config {
        Config {
            mounts: self.mounts.clone(),
            keep_alive: self.keep_alive,
        }
    }
}

/// Parses the arguments (without the program name). Accepts `--flag value` and
/// `--flag=value`. The error is a one-line message naming the bad argument.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut parsed = Args {
        port: 0,
        port_file: None,
        second_port: None,
        second_port_file: None,
        tls_port: None,
        tls_port_file: None,
        mounts: Vec::new(),
        keep_alive: true,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--no-keep-alive" if inline.is_none() => parsed.keep_alive = false,
            "--port" => parsed.port = port(&flag, &value()?)?,
            "--port-file" => parsed.port_file = Some(path(&flag, value()?)?),
            "--second-port" => parsed.second_port = Some(port(&flag, &value()?)?),
            "--second-port-file" => parsed.second_port_file = Some(path(&flag, value()?)?),
            "--tls-port" => parsed.tls_port = Some(port(&flag, &value()?)?),
            "--tls-port-file" => parsed.tls_port_file = Some(path(&flag, value()?)?),
            "--mount" => {
                let value = value()?;
                let mount =
                    Mount::parse(&value).map_err(|err| format!("`--mount {value}`: {err}"))?;
                parsed.mounts.push(mount);
            }
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(Command::Run(parsed))
}

fn port(flag: &str, value: &str) -> Result<u16, String> {
    value
        .parse()
        .map_err(|_| format!("`{flag} {value}`: expected a port number from 0 to 65535"))
}

fn path(flag: &str, value: String) -> Result<PathBuf, String> {
    if value.is_empty() {
        return Err(format!("`{flag}` needs a non-empty path"));
    }
    Ok(PathBuf::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn defaults_to_any_free_port() {
        let Ok(Command::Run(args)) = parse_strs(&[]) else {
            panic!("expected Run");
        };
        assert_eq!(args.port, 0);
        assert_eq!(args.port_file, None);
        assert_eq!(args.second_port(), None);
        assert_eq!(args.tls_port(), None);
        assert!(args.mounts.is_empty());
        assert!(args.keep_alive);
        assert!(args.config().keep_alive);
    }

    #[test]
    fn reads_every_flag_in_both_forms() {
        let tmp = std::env::temp_dir().display().to_string();
        let Ok(Command::Run(args)) = parse_strs(&[
            "--port",
            "8080",
            "--port-file=/tmp/port",
            "--mount",
            &format!("/={tmp}"),
            &format!("--mount=/pkg={tmp}"),
            "--no-keep-alive",
        ]) else {
            panic!("expected Run");
        };
        assert_eq!(args.port, 8080);
        assert_eq!(args.port_file, Some(PathBuf::from("/tmp/port")));
        let prefixes: Vec<_> = args.mounts.iter().map(Mount::prefix).collect();
        assert_eq!(prefixes, ["/", "/pkg"]);
        assert!(!args.config().keep_alive);
        assert_eq!(args.second_port(), None);
    }

    #[test]
    fn either_second_port_flag_asks_for_a_second_listener() {
        let second = |args: &[&str]| match parse_strs(args) {
            Ok(Command::Run(args)) => (args.second_port(), args.second_port_file),
            other => panic!("expected Run, got {other:?}"),
        };
        assert_eq!(second(&["--second-port", "9001"]), (Some(9001), None));
        assert_eq!(
            second(&["--second-port-file=/tmp/p2"]),
            (Some(0), Some(PathBuf::from("/tmp/p2")))
        );
        assert_eq!(
            second(&["--second-port-file", "/tmp/p2", "--second-port=7"]),
            (Some(7), Some(PathBuf::from("/tmp/p2")))
        );
        let tls = |args: &[&str]| match parse_strs(args) {
            Ok(Command::Run(args)) => args.tls_port(),
            other => panic!("expected Run, got {other:?}"),
        };
        assert_eq!(tls(&["--tls-port-file", "/tmp/p3"]), Some(0));
        assert_eq!(tls(&["--tls-port=8443"]), Some(8443));
    }

    #[test]
    fn help() {
        assert_eq!(parse_strs(&["--help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["-h"]), Ok(Command::Help));
    }

    #[test]
    fn errors_name_the_argument() {
        for (args, needle) in [
            (&["--port"][..], "`--port` needs a value"),
            (&["--port", "http"][..], "--port http"),
            (&["--port", "70000"][..], "--port 70000"),
            (&["--mount", "nodir"][..], "--mount nodir"),
            (&["--verbose"][..], "unknown argument `--verbose`"),
            (&["--port-file="][..], "non-empty path"),
            (&["--second-port", "x"][..], "--second-port x"),
            (
                &["--second-port-file="][..],
                "`--second-port-file` needs a non-empty path",
            ),
        ] {
            let err = parse_strs(args).expect_err(needle);
            assert!(err.contains(needle), "{args:?}: {err}");
        }
    }
}
