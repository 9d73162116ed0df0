// Hedged requests in a real browser: the same long-tailed endpoint (about 2 % of hits wait 1 s,
// the rest 20 ms) through clients that hedge, each side by side with a client that does not, a
// pair at a time, in one page and on the same HTTP/2 connection. Latency is timed around each
// fetchOne; extra requests and aborted losers come from the server's own records.

import { table, fixed } from './markdown.mjs';
import { quantile } from './stats.mjs';
import { resetServer, settledStats } from './server.mjs';

export const QUERY = 'delay=20&tail_rate=0.02&tail_delay=1000';
/** Requests per mode; lanes: requests in flight per mode; warmup: unhedged requests that set the measured delay. */
export const FULL = { n: 1000, lanes: 6, warmup: 300 };
export const SMOKE = { n: 100, lanes: 6, warmup: 50 };
export const TARGET = { p99Ratio: 5, extra: 0.05 };
/** The budgeted hedging row's retry budget: hedges (and retries) at most this share of first attempts. */
const CAPPED = { ratio: TARGET.extra };

/** The origin the requests go to: the server's HTTP/2 port when it has one. */
function target() {
  const tls = process.env.PF_TEST_SERVER_TLS;
  return tls
    ? { origin: tls, protocol: 'HTTP/2 over TLS (one connection)' }
    : { origin: process.env.PF_TEST_SERVER, protocol: 'HTTP/1.1 (at most 6 connections)' };
}

/** One mode's row: its latencies and counters, with the server's records of its key. */
async function rowOf(run, n, hedged) {
  const s = await settledStats(run.key);
  return {
    name: run.name,
    hedged,
    requests: n,
    failed: run.failed,
    failures: run.failures,
    p50: quantile(run.latencies, 0.5),
    p99: quantile(run.latencies, 0.99),
    p999: quantile(run.latencies, 0.999),
    max: Math.max(...run.latencies),
    hits: s.hits,
    tailHits: s.delays.filter((d) => d >= 1000).length,
    completed: s.completed,
    aborted: s.aborted,
    inFlight: s.inFlight,
    losers: s.hits - n,
    extra: s.hits / n - 1,
    hedges: run.stats?.hedges ?? 0,
    hedgeEvents: run.events.hedgeStart,
    budgetExhausted: run.events.budgetExhausted,
    multiAttempt: run.attempts.filter((a) => a > 1).length,
    elapsed: run.elapsed,
  };
}

/** Runs the hedging benchmark; resolves with { markdown, misses, rows }. */
export async function hedgingSection({ page }, { n, lanes, warmup }, { smoke = false } = {}) {
  const { origin, protocol } = target();
  const tag = Date.now().toString(36);
  await resetServer();
  // 1. Unhedged first, two streams at once as in the runs themselves, to measure the p95 that
  //    sets the hedge's delay under the same load.
  const warm = await page.evaluate((o) => window.bench.runHedging(o), {
    origin,
    query: QUERY,
    n: warmup,
    lanes,
    modes: [
      { name: 'warm-up a', key: `hedge-warm-a-${tag}` },
      { name: 'warm-up b', key: `hedge-warm-b-${tag}` },
    ],
  });
  for (const w of warm) {
    if (w.failed) throw new Error(`hedging warm-up: ${w.failed} failed: ${w.failures.join('; ')}`);
  }
  const p95 = Math.ceil(quantile(warm.flatMap((w) => w.latencies), 0.95));

  // 2. Each hedged mode side by side with an unhedged one, a pair at a time, so every pair
  //    meets the load the warm-up measured. The delay alone leaves the extra requests to how
  //    the run's latencies compare with the warm-up's; the retry budget, which hedges spend,
  //    caps them.
  const pairs = [
    { name: `hedge: { delay: ${p95} }`, key: `hedge-p95-${tag}`, hedge: { delay: p95 } },
    {
      name: `hedge: { delay: ${p95} }, retryBudget: { ratio: ${CAPPED.ratio}, minPerSecond: 0 }`,
      key: `hedge-capped-${tag}`,
      hedge: { delay: p95 },
      retryBudget: { ratio: CAPPED.ratio, minPerSecond: 0 },
    },
  ];
  const rows = [];
  for (const [p, hedged] of pairs.entries()) {
    const unhedged = { name: `no hedging (beside row ${2 * p + 2})`, key: `hedge-off-${p}-${tag}` };
    const modes = [unhedged, hedged];
    const runs = await page.evaluate((o) => window.bench.runHedging(o), {
      origin,
      query: QUERY,
      n,
      lanes,
      modes,
    });
    const base = await rowOf(runs[0], n, false);
    rows.push(base, { ...(await rowOf(runs[1], n, true)), base });
  }
  if (smoke) {
    // No timing is asserted, only that the driver still measures something sensible.
    for (const r of rows) {
      if (r.failed) throw new Error(`hedging smoke: ${r.name}: ${r.failed} failed: ${r.failures.join('; ')}`);
      if (r.hits < n) throw new Error(`hedging smoke: ${r.name}: ${r.hits} server hits for ${n} requests`);
    }
  }

  const misses = [];
  const verdicts = [];
  for (const r of rows.filter((row) => row.hedged)) {
    const ratio = r.base.p99 / r.p99;
    const allAborted = r.aborted === r.losers;
    const ok = ratio >= TARGET.p99Ratio && r.extra <= TARGET.extra && allAborted && !r.failed;
    const what =
      `${r.name}: p99 ${fixed(ratio, 1)}× lower (target ≥ ${TARGET.p99Ratio}×), ` +
      `${fixed(r.extra * 100, 1)} % extra requests (target ≤ ${TARGET.extra * 100} %), ` +
      `${r.aborted} of ${r.losers} losing attempts aborted at the server` +
      (r.completed > n ? ` (${r.completed - n} completed before the abort reached it)` : '') +
      (r.failed ? `, ${r.failed} requests failed` : '');
    verdicts.push(`- ${ok ? 'PASS' : 'FAIL'} ${what}`);
    if (!ok) misses.push(what);
  }

  const markdown = [
    `${n} requests per row to \`/r?${QUERY}&key=…&i=…\`, ${lanes} in flight per row, in one page, ` +
      `two rows at a time (each hedged row at once with the unhedged row above it, which its p99 is ` +
      `compared with), each through a client of its own (\`dedupe: false\`; the default retry budget ` +
      `unless the row sets one), ` +
      `over ${protocol}. Latency is timed around each \`fetchOne\`. The measured delay is the p95 ` +
      `of 2 × ${warmup} unhedged requests sent first the same way (${p95} ms). Extra requests = server hits ÷ ` +
      `requests − 1; "tail hits" are the hits the server made wait 1 s; losers = hits − requests, ` +
      `"aborted" is the server's count of hits whose client went away first.`,
    '',
    table(
      ['', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'server hits', 'tail hits', 'extra requests', 'hedges (client)', 'losers', 'aborted', 'completed'],
      rows.map((r) => [
        r.name,
        fixed(r.p50, 1),
        fixed(r.p99, 1),
        fixed(r.p999, 1),
        fixed(r.max, 0),
        String(r.hits),
        String(r.tailHits),
        `${fixed(r.extra * 100, 1)} %`,
        String(r.hedges),
        String(r.losers),
        String(r.aborted),
        String(r.completed),
      ]),
    ),
    '',
    ...(smoke ? ['(smoke run: too few requests for the targets to mean anything)'] : verdicts),
    ...rows
      .filter((r) => r.budgetExhausted || r.failed)
      .map((r) => `- ${r.name}: ${r.budgetExhausted} hedges refused by the retry budget, ${r.failed} requests failed ${r.failures.join('; ')}`),
  ].join('\n');
  return { markdown, misses: smoke ? [] : misses, rows };
}
