//! Contention benchmark: reproduces Marc Brooker's "Exponential Backoff and Jitter" (AWS
//! Architecture Blog, 2015) with this crate's own backoff code
//! (`parallel_fetch::policy::backoff`), as a native discrete-event simulation.
//!
//! `N` clients each make one optimistic-concurrency update of a shared versioned record
//! (read the version, write conditional on it, back off and start over on conflict). For each
//! client count and strategy the report gives the mean number of writes ("calls") and the mean
//! time until the last client is done, as markdown tables, then checks the published claims at
//! 100 clients (the default client counts are Brooker's 10, 30, …, 190 plus 100 for the checks).
//! See `model.rs` for the model itself, including why the crate receives twice Brooker's base
//! delay by default (`--ceilings`).
//!
//! ```text
//! cargo run --release --example contention
//! cargo run --release --example contention -- --svg contention.svg
//! cargo run --example contention -- --trials 2 --clients 10,30
//! ```
//!
//! Exits with status 1 if the core claim (full jitter needs at most 0.45× the calls of plain
//! exponential backoff at 100 clients) fails, and 2 on a usage error. The checks are skipped
//! (status 0) when 100 is not among `--clients`.

mod model;
mod plot;

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use model::{Ceilings, Params, Strategy, Summary};

const USAGE: &str = "\
usage: contention [--trials N] [--clients A,B,...] [--seed S] [--base-ms MS]
                  [--ceilings brooker|crate] [--svg PATH]

  --trials N        seeded trials per client count and strategy (default 100)
  --clients A,B,..  client counts (default 10,30,50,70,90,100,110,130,150,170,190)
  --seed S          run seed; trial seeds derive from (S, clients, trial) (default 2015)
  --base-ms MS      Brooker's backoff base delay (default 5; the cap stays 2000)
  --ceilings C      brooker (default): ceiling base*2^n after failed write n, as in
                    Brooker's simulator (the crate gets base_delay_ms = 2*base, except
                    decorrelated); crate: the crate's base*2^(n-1) with base as given
  --svg PATH        also write a line plot of calls against clients";

/// The client count the published claims are checked at.
const CHECK_CLIENTS: usize = 100;
/// The core claim: full jitter needs at most this share of plain exponential's calls.
const CORE_RATIO: f64 = 0.45;

/// Command-line options.
struct Options {
    trials: u32,
    clients: Vec<usize>,
    seed: u64,
    base_delay_ms: f64,
    ceilings: Ceilings,
    svg: Option<String>,
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("contention: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let params = Params {
        base_delay_ms: options.base_delay_ms,
        ceilings: options.ceilings,
        ..Params::default()
    };

    let started = Instant::now();
    let results = run_all(&options, &params);
    let elapsed = started.elapsed();

    println!("# Contention: OCC clients with backoff (after Brooker, 2015)\n");
    println!(
        "{} trials per cell, seed {}, latency |Normal({}, {})| ms per message (4 per attempt), \
         backoff base {} ms, cap {} ms, {} ceilings (first exponential ceiling {} ms).\n",
        options.trials,
        options.seed,
        params.latency_mean_ms,
        params.latency_sd_ms,
        params.base_delay_ms,
        params.max_delay_ms,
        params.ceilings.name(),
        Strategy::Full
            .backoff_config(&params)
            .map_or(0.0, |c| c.ceiling_ms(1)),
    );
    println!("## Mean calls (writes) per trial\n");
    print_table(&options.clients, &results, |s| {
        format!("{:.1}", s.mean_calls)
    });
    println!("\n## Mean completion time per trial (ms, last client done)\n");
    print_table(&options.clients, &results, |s| {
        format!("{:.0}", s.mean_completion_ms)
    });

    let core_ok = print_checks(&options.clients, &results);

    if let Some(path) = &options.svg {
        if let Err(error) = std::fs::write(path, svg(&options.clients, &results)) {
            eprintln!("contention: cannot write {path}: {error}");
            return ExitCode::from(2);
        }
        println!("\nPlot written to {path}.");
    }
    eprintln!("simulated in {:.2} s", elapsed.as_secs_f64());
    if core_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Parses the arguments; `Ok(None)` means help was asked for.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        trials: 100,
        clients: vec![10, 30, 50, 70, 90, 100, 110, 130, 150, 170, 190],
        seed: 2015,
        base_delay_ms: Params::default().base_delay_ms,
        ceilings: Params::default().ceilings,
        svg: None,
    };
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |what: &str| format!("{flag}: {what}, got {value:?}");
        match flag.as_str() {
            "--trials" => {
                options.trials = value
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| bad("want a positive integer"))?
            }
            "--clients" => {
                let mut clients = value
                    .split(',')
                    .map(|c| c.trim().parse().ok().filter(|&n: &usize| n > 0))
                    .collect::<Option<Vec<usize>>>()
                    .ok_or_else(|| bad("want positive integers separated by commas"))?;
                clients.sort_unstable();
                clients.dedup();
                options.clients = clients;
            }
            "--seed" => {
                options.seed = value.parse().map_err(|_| bad("want an unsigned integer"))?
            }
            "--base-ms" => {
                options.base_delay_ms = value
                    .parse()
                    .ok()
                    .filter(|b: &f64| {
                        b.is_finite() && (0.0..=Params::default().max_delay_ms).contains(b)
                    })
                    .ok_or_else(|| bad("want milliseconds between 0 and the cap"))?
            }
            "--ceilings" => {
                options.ceilings = [Ceilings::Brooker, Ceilings::Crate]
                    .into_iter()
                    .find(|c| c.name() == value)
                    .ok_or_else(|| bad("want brooker or crate"))?
            }
            "--svg" => options.svg = Some(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(Some(options))
}

/// Runs every `(clients, strategy)` cell on all cores; `result[c][s]` is client count `c`,
/// strategy `Strategy::ALL[s]`. Cells are independent and seeded, so the result does not
/// depend on scheduling.
fn run_all(options: &Options, params: &Params) -> Vec<Vec<Summary>> {
    // Largest client counts first, so no big cell is left running alone at the end.
    let cells: Vec<(usize, usize)> = (0..options.clients.len())
        .rev()
        .flat_map(|c| (0..Strategy::ALL.len()).map(move |s| (c, s)))
        .collect();
    let next = AtomicUsize::new(0);
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(cells.len());
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (cells, next) = (&cells, &next);
            scope.spawn(move || {
                while let Some(&(c, s)) = cells.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let summary = model::run_trials(
                        options.clients[c],
                        Strategy::ALL[s],
                        options.trials,
                        params,
                        options.seed,
                    );
                    // The receiver outlives the scope, so this cannot fail.
                    let _ = sender.send((c, s, summary));
                }
            });
        }
    });
    drop(sender);
    let empty = Summary {
        mean_calls: f64::NAN,
        mean_completion_ms: f64::NAN,
    };
    let mut results = vec![vec![empty; Strategy::ALL.len()]; options.clients.len()];
    for (c, s, summary) in receiver {
        results[c][s] = summary;
    }
    results
}

/// Prints a markdown table: one row per client count, one column per strategy.
fn print_table(clients: &[usize], results: &[Vec<Summary>], cell: impl Fn(&Summary) -> String) {
    let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
    println!("| clients | {} |", names.join(" | "));
    println!("|---:|{}", "---:|".repeat(names.len()));
    for (n, row) in clients.iter().zip(results) {
        let cells: Vec<String> = row.iter().map(&cell).collect();
        println!("| {n} | {} |", cells.join(" | "));
    }
}

/// Prints the published claims at [`CHECK_CLIENTS`] clients, PASS or FAIL each, and returns
/// whether the core claim holds (true if it could not be evaluated).
fn print_checks(clients: &[usize], results: &[Vec<Summary>]) -> bool {
    println!("\n## Checks at {CHECK_CLIENTS} clients\n");
    let Some(row) = clients
        .iter()
        .position(|&n| n == CHECK_CLIENTS)
        .map(|i| &results[i])
    else {
        println!("- SKIP: {CHECK_CLIENTS} clients not simulated (not in --clients)");
        return true;
    };
    let get = |s: Strategy| row[Strategy::ALL.iter().position(|&t| t == s).unwrap_or(0)];
    let calls = |s: Strategy| get(s).mean_calls;
    let time = |s: Strategy| get(s).mean_completion_ms;
    use Strategy::{Decorrelated, Equal, Exponential, Full};

    let core = calls(Full) / calls(Exponential);
    let equal = calls(Equal) / calls(Full);
    let decorrelated = calls(Decorrelated) / calls(Full);
    let next_slowest = Strategy::ALL
        .iter()
        .filter(|&&s| s != Exponential)
        .map(|&s| time(s))
        .fold(0.0, f64::max);
    let slowest = time(Exponential) / next_slowest;

    let checks = [
        (
            core <= CORE_RATIO,
            format!("core: full-jitter calls <= {CORE_RATIO} x exponential calls (ratio {core:.3})"),
        ),
        (
            (0.85..=1.15).contains(&equal),
            format!("full and equal jitter need about the same calls: equal/full within 0.85..1.15 ({equal:.3})"),
        ),
        (
            decorrelated > 1.0 && decorrelated <= 1.5,
            format!("decorrelated needs somewhat more calls than full: decorrelated/full in (1, 1.5] ({decorrelated:.3})"),
        ),
        (
            slowest >= 1.5,
            format!("exponential is the slowest by far: its time >= 1.5 x the next slowest ({slowest:.2})"),
        ),
    ];
    for (pass, claim) in &checks {
        println!("- {} {claim}", if *pass { "PASS" } else { "FAIL" });
    }
    let all = checks.iter().all(|(pass, _)| *pass);
    println!(
        "\n{}",
        if all {
            "All checks pass."
        } else {
            "Some checks FAIL."
        }
    );
    checks[0].0
}

/// The calls-against-clients plot as SVG.
fn svg(clients: &[usize], results: &[Vec<Summary>]) -> String {
    plot::Plot {
        title: "OCC contention: mean calls until every client has written",
        x_label: "clients",
        y_label: "mean calls (writes) per trial",
        xs: clients.iter().map(|&n| n as f64).collect(),
        series: Strategy::ALL
            .iter()
            .enumerate()
            .map(|(s, strategy)| plot::Series {
                name: strategy.name(),
                ys: results.iter().map(|row| row[s].mean_calls).collect(),
            })
            .collect(),
    }
    .to_svg()
}
