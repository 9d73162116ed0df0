// The circuit breaker in a real browser: a steady stream of requests at an origin that answers
// every one 503, through clients with and without a breaker, all at once in one page. How soon
// the breaker fails fast, and how many requests it keeps off the network, from the page's own
// timings and the server's records.

import { table, fixed } from './markdown.mjs';
import { resetServer, settledStats } from './server.mjs';

export const QUERY = 'status=503';
export const FULL = { rate: 50, seconds: 10 };
export const SMOKE = { rate: 50, seconds: 2 };

const BREAKER = {}; // the defaults: failureRatio 0.5, minimumThroughput 10, window 10 s, breakDuration 5 s

const MODES = (tag) => [
  { name: 'retry: false, no breaker', key: `breaker-none-${tag}`, client: { retry: false } },
  { name: 'retry: false, breaker', key: `breaker-on-${tag}`, client: { retry: false, breaker: BREAKER } },
  { name: 'default retries + budget, no breaker', key: `breaker-retry-none-${tag}`, client: {} },
  { name: 'default retries + budget, breaker', key: `breaker-retry-on-${tag}`, client: { breaker: BREAKER } },
];

const count = (requests, outcome) => requests.filter((r) => r.outcome === outcome).length;
const first = (requests, outcome) =>
  Math.min(...requests.filter((r) => r.outcome === outcome).map((r) => r.end));

/** Runs the breaker benchmark; resolves with { markdown, misses, rows }. */
export async function breakerSection({ page }, { rate, seconds }, { smoke = false } = {}) {
  const origin = process.env.PF_TEST_SERVER;
  const tag = Date.now().toString(36);
  await resetServer();
  const runs = await page.evaluate((o) => window.bench.runBreaker(o), {
    origin,
    query: QUERY,
    rate,
    seconds,
    modes: MODES(tag),
  });
  const rows = [];
  for (const run of runs) {
    const s = await settledStats(run.key);
    const { requests } = run;
    const firstFailure = Math.min(...run.failedAttempts);
    const firstOpen = first(requests, 'CircuitOpenError');
    const opened = run.transitions.find((t) => t.type === 'breakerOpen');
    rows.push({
      name: run.name,
      issued: requests.length,
      hits: s.hits,
      sent: run.stats?.sent ?? 0,
      failed503: requests.filter((r) => r.outcome?.startsWith('HttpError')).length,
      circuitOpen: count(requests, 'CircuitOpenError'),
      other: requests.filter((r) => !r.outcome?.startsWith('HttpError') && r.outcome !== 'CircuitOpenError'),
      firstFailure,
      firstOpen,
      openedAt: opened?.at,
      // The attemptEnd of the failure that tripped it comes just before breakerOpen.
      failuresBeforeOpen: opened ? run.failedAttempts.filter((t) => t <= opened.at).length : null,
      issuedBeforeOpen: opened ? requests.filter((r) => r.at <= opened.at).length : null,
      transitions: run.transitions,
      issuedMs: run.issuedMs,
      lastEnd: Math.max(...requests.map((r) => r.end)),
    });
  }
  if (smoke) {
    for (const r of rows) {
      if (r.other.length) throw new Error(`breaker smoke: ${r.name}: unexpected outcomes ${r.other.slice(0, 3).map((o) => o.outcome).join(', ')}`);
      const withBreaker = r.name.endsWith(', breaker');
      if (withBreaker !== r.circuitOpen > 0) {
        throw new Error(`breaker smoke: ${r.name}: ${r.circuitOpen} CircuitOpenErrors`);
      }
    }
  }

  const ms = (v) => (Number.isFinite(v) ? fixed(v, 0) : '–');
  const savedAgainst = (r, i) => {
    if (!r.name.endsWith(', breaker')) return '–';
    const base = rows[i - 1].hits;
    return `${base - r.hits} (${fixed(((base - r.hits) / base) * 100, 1)} %)`;
  };
  const transitions = rows
    .filter((r) => r.transitions.length)
    .map((r) => `- ${r.name}: ${r.transitions.map((t) => `${t.type.replace('breaker', '').toLowerCase()} at ${fixed(t.at / 1000, 2)} s`).join(', ')}`);
  const markdown = [
    `One request every ${fixed(1000 / rate, 0)} ms (${rate}/s) for ${seconds} s through each ` +
      `client, all four at once in one page, to \`${'/r?' + QUERY}&key=…&i=…\` on the page's ` +
      `origin, which answers every request 503 at once. \`breaker: {}\` is the default breaker ` +
      `(failureRatio 0.5, minimumThroughput 10, window 10 s, breakDuration 5 s); "default ` +
      `retries" is the default retry policy (limit 2, full jitter, base 300 ms) within the ` +
      `default retry budget. Times are from the stream's start; "fail-fast after" is from the ` +
      `first failed attempt to the first CircuitOpenError. Saved: server hits kept off the ` +
      `network against the same stream without a breaker. The failed attempts when it opened count ` +
      `the one that tripped it (its \`attemptEnd\` comes just before \`breakerOpen\`).`,
    '',
    table(
      ['client', 'requests issued', 'server hits', 'attempts sent (client)', '503s', 'CircuitOpenErrors', 'first failure ms', 'breaker opened ms', 'failed attempts / requests issued when it opened', 'first CircuitOpenError ms', 'fail-fast after ms', 'hits saved'],
      rows.map((r, i) => [
        r.name,
        String(r.issued),
        String(r.hits),
        String(r.sent),
        String(r.failed503),
        String(r.circuitOpen),
        ms(r.firstFailure),
        ms(r.openedAt),
        r.openedAt === undefined ? '–' : `${r.failuresBeforeOpen} / ${r.issuedBeforeOpen}`,
        ms(r.firstOpen),
        ms(r.firstOpen - r.firstFailure),
        savedAgainst(r, i),
      ]),
    ),
    '',
    'Breaker transitions:',
    '',
    ...transitions,
    ...rows.filter((r) => r.other.length).map((r) => `- ${r.name}: ${r.other.length} other outcomes, e.g. ${r.other[0].outcome}`),
  ].join('\n');
  return { markdown, misses: [], rows };
}
