//! Retry storm: how much load do retrying clients put on an origin that is down, and what do
//! the retry budget and the circuit breaker take off it? A native discrete-event simulation
//! built on the crate's own policy code (`policy::retry::decide`, `policy::backoff`,
//! `policy::budget`, `policy::breaker`); see `model.rs` for the model.
//!
//! For each client count and request rate, the report gives the attempts per client-second
//! sent during the outage and their amplification over the no-retry baseline, then how long
//! after the backend returns each client's requests succeed again, as markdown tables.
//!
//! ```text
//! cargo run --release --example retry_storm
//! cargo run --release --example retry_storm -- --svg retry_storm.svg
//! cargo run --example retry_storm -- --clients 10 --seconds 40
//! ```
//!
//! Exits with status 1 if a target fails (retries alone about 3x; the default budget at most
//! 1.25x at the highest rate, when it is 20 or more; budget and breaker at most 1.25x
//! everywhere), unless `--no-check`; 2 on a usage error.

mod model;
#[path = "../contention/plot.rs"]
mod plot;

use std::process::ExitCode;
use std::time::Instant;

use model::{run_client, Mode, Params, Totals};
use parallel_fetch::policy::breaker::BreakerConfig;
use parallel_fetch::policy::budget::BudgetConfig;

const USAGE: &str = "\
usage: retry_storm [--clients A,B,...] [--rates A,B,...] [--seconds S] [--outage S]
                   [--latency-ms MS] [--seed S] [--svg PATH] [--no-check]

  --clients A,B,..  client counts (default 10,100,1000)
  --rates A,B,..    requests per second per client (default 1,5,20)
  --seconds S       simulated time (default 60)
  --outage S        the backend fails every request for the first S seconds (default 30)
  --latency-ms MS   how long each attempt takes (default 50)
  --seed S          run seed; client seeds derive from (S, clients, rate, mode, client)
  --svg PATH        also write a plot of attempts per client-second over time, for the
                    largest client count and rate
  --no-check        report only; do not fail on a missed target";

/// Amplification targets.
const RETRIES_ALONE: (f64, f64) = (2.7, 3.0);
const BUDGETED_MAX: f64 = 1.25;
/// The rate from which the default budget alone must meet [`BUDGETED_MAX`].
const BUDGET_TARGET_RATE: f64 = 20.0;

struct Options {
    clients: Vec<usize>,
    rates: Vec<f64>,
    params: Params,
    seed: u64,
    svg: Option<String>,
    check: bool,
}

/// One cell: totals per mode for a client count and rate.
struct Cell {
    clients: usize,
    rate: f64,
    totals: Vec<Totals>,
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("retry_storm: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let cells = run_all(&options);
    let p = &options.params;
    let (budget, breaker) = (BudgetConfig::default(), BreakerConfig::default());

    println!("# Retry storm: offered load on an origin that is down\n");
    println!(
        "Backend fails every request (503) for {} s, then answers every one; {} s simulated, \
         {} ms per attempt. Default retry policy (limit 2, full jitter, base 300 ms, cap \
         10 000 ms). Budget: ratio {}, minPerSecond {}, window {} s. Breaker: failureRatio {}, \
         minimumThroughput {}, window {} s, breakDuration {} s. Seed {}.\n",
        p.outage_ms / 1000.0,
        p.run_ms / 1000.0,
        p.latency_ms,
        budget.ratio,
        budget.min_per_second,
        budget.window_ms / 1000.0,
        breaker.failure_ratio,
        breaker.minimum_throughput,
        breaker.window_ms / 1000.0,
        breaker.break_duration_ms / 1000.0,
        options.seed,
    );

    println!("## Attempts per client-second during the outage (amplification over no retries)\n");
    let heading: Vec<&str> = Mode::ALL.iter().map(|m| m.name()).collect();
    println!(
        "| clients | R (req/s) | {} | budget bound |",
        heading.join(" | ")
    );
    println!("|---:|---:|{}---:|", "---:|".repeat(Mode::ALL.len()));
    for cell in &cells {
        let base = cell.totals[0].offered(p);
        let columns: Vec<String> = cell
            .totals
            .iter()
            .map(|t| {
                let offered = t.offered(p);
                format!("{offered:.2} ({:.2}x)", offered / base)
            })
            .collect();
        println!(
            "| {} | {} | {} | {:.2}x |",
            cell.clients,
            cell.rate,
            columns.join(" | "),
            budget_bound(cell.rate, &budget),
        );
    }
    println!(
        "\n\"budget bound\" is the amplification the default budget allows: \
         min(3, 1 + ratio + minPerSecond / R). The reserve (minPerSecond / R) is what lets a \
         quiet client retry at all, and at R = 1 it covers every retry the policy wants, so a \
         quiet client's budget changes nothing; with minPerSecond 0 the budget holds every \
         client to 1 + ratio, but a client sending fewer than 1 / ratio requests per window \
         cannot retry at all.\n"
    );

    println!("## Time to recover after the backend returns (s, mean / max over clients)\n");
    println!(
        "Recovery is when a client's last failing request started, after the backend came back.\n"
    );
    println!(
        "| clients | R (req/s) | {} | breaker rejections |",
        heading[1..].join(" | ")
    );
    println!("|---:|---:|{}---:|", "---:|".repeat(Mode::ALL.len() - 1));
    for cell in &cells {
        let columns: Vec<String> = cell.totals[1..]
            .iter()
            .map(|t| {
                let (mean, max) = t.recovery_s();
                format!("{mean:.2} / {max:.2}")
            })
            .collect();
        let rejected = cell.totals[Mode::ALL.len() - 1].rejected;
        println!(
            "| {} | {} | {} | {} |",
            cell.clients,
            cell.rate,
            columns.join(" | "),
            rejected
        );
    }

    let ok = !options.check || print_checks(&cells, p);

    if let Some(path) = &options.svg {
        if let Err(error) = std::fs::write(path, svg(&cells, p)) {
            eprintln!("retry_storm: cannot write {path}: {error}");
            return ExitCode::from(2);
        }
        println!("\nPlot written to {path}.");
    }
    eprintln!("simulated in {:.2} s", started.elapsed().as_secs_f64());
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn budget_bound(rate: f64, budget: &BudgetConfig) -> f64 {
    (1.0 + budget.ratio + budget.min_per_second / rate).min(3.0)
}

/// Prints the targets and whether each is met; true if all are.
fn print_checks(cells: &[Cell], p: &Params) -> bool {
    println!("\n## Targets\n");
    let mut all = true;
    let mut check = |ok: bool, what: String| {
        println!("- {}: {what}", if ok { "PASS" } else { "FAIL" });
        all &= ok;
    };
    let amp = |cell: &Cell, mode: Mode| {
        let i = Mode::ALL.iter().position(|&m| m == mode).unwrap_or(0);
        cell.totals[i].offered(p) / cell.totals[0].offered(p)
    };
    for cell in cells {
        let at = format!("N = {}, R = {}", cell.clients, cell.rate);
        let retries = amp(cell, Mode::Retries);
        check(
            (RETRIES_ALONE.0..=RETRIES_ALONE.1 + 1e-9).contains(&retries),
            format!("retries alone {retries:.2}x, about 3x ({at})"),
        );
        if cell.rate >= BUDGET_TARGET_RATE {
            let budget = amp(cell, Mode::Budget);
            check(
                budget <= BUDGETED_MAX,
                format!("default budget {budget:.2}x <= {BUDGETED_MAX}x ({at})"),
            );
        }
        let both = amp(cell, Mode::BudgetBreaker);
        check(
            both <= BUDGETED_MAX,
            format!("budget + breaker {both:.2}x <= {BUDGETED_MAX}x ({at})"),
        );
    }
    all
}

/// Attempts per client-second over time, one line per mode, for the last cell (the largest
/// client count and rate).
fn svg(cells: &[Cell], p: &Params) -> String {
    let Some(cell) = cells.last() else {
        return String::new();
    };
    let seconds = (p.run_ms / 1000.0) as usize;
    let title = format!(
        "Attempts per client-second, {} clients at {} req/s, outage 0-{} s",
        cell.clients,
        cell.rate,
        p.outage_ms / 1000.0
    );
    plot::Plot {
        title: &title,
        x_label: "time (s)",
        y_label: "attempts per client-second",
        xs: (0..seconds).map(|s| s as f64).collect(),
        series: Mode::ALL
            .iter()
            .zip(&cell.totals)
            .map(|(mode, t)| plot::Series {
                name: mode.name(),
                ys: (0..seconds)
                    .map(|s| {
                        t.sent_per_second.get(s).copied().unwrap_or(0) as f64 / t.clients as f64
                    })
                    .collect(),
            })
            .collect(),
    }
    .to_svg()
}

/// Runs every cell; cells are independent and seeded, so results do not depend on order.
fn run_all(options: &Options) -> Vec<Cell> {
    let mut cells = Vec::new();
    for &clients in &options.clients {
        for &rate in &options.rates {
            let totals = Mode::ALL
                .iter()
                .enumerate()
                .map(|(m, &mode)| {
                    let mut sum = Totals::default();
                    for client in 0..clients {
                        let seed = mix(&[
                            options.seed,
                            clients as u64,
                            rate.to_bits(),
                            m as u64,
                            client as u64,
                        ]);
                        sum.add(run_client(mode, rate, &options.params, seed));
                    }
                    sum
                })
                .collect();
            cells.push(Cell {
                clients,
                rate,
                totals,
            });
        }
    }
    cells
}

/// A seed from several numbers (SplitMix64's finaliser over a running sum).
fn mix(parts: &[u64]) -> u64 {
    parts.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &x| {
        let mut z = (h ^ x).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// Parses the arguments; `Ok(None)` means help was asked for.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        clients: vec![10, 100, 1000],
        rates: vec![1.0, 5.0, 20.0],
        params: Params {
            outage_ms: 30_000.0,
            run_ms: 60_000.0,
            latency_ms: 50.0,
        },
        seed: 2024,
        svg: None,
        check: true,
    };
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--no-check" => {
                options.check = false;
                continue;
            }
            _ => {}
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |what: &str| format!("{flag}: {what}, got {value:?}");
        let positive = |v: &str| {
            v.trim()
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite() && *x > 0.0)
        };
        match flag.as_str() {
            "--clients" => {
                options.clients = value
                    .split(',')
                    .map(|c| c.trim().parse().ok().filter(|&n: &usize| n > 0))
                    .collect::<Option<Vec<usize>>>()
                    .ok_or_else(|| bad("want positive integers separated by commas"))?
            }
            "--rates" => {
                options.rates = value
                    .split(',')
                    .map(positive)
                    .collect::<Option<Vec<f64>>>()
                    .ok_or_else(|| bad("want positive numbers separated by commas"))?
            }
            "--seconds" => {
                options.params.run_ms =
                    positive(&value).ok_or_else(|| bad("want positive seconds"))? * 1000.0
            }
            "--outage" => {
                options.params.outage_ms =
                    positive(&value).ok_or_else(|| bad("want positive seconds"))? * 1000.0
            }
            "--latency-ms" => {
                options.params.latency_ms =
                    positive(&value).ok_or_else(|| bad("want positive milliseconds"))?
            }
            "--seed" => {
                options.seed = value.parse().map_err(|_| bad("want an unsigned integer"))?
            }
            "--svg" => options.svg = Some(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if options.params.outage_ms > options.params.run_ms {
        return Err("--outage must not be longer than --seconds".into());
    }
    Ok(Some(options))
}
