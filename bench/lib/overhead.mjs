// Overhead against native fetch and ky: every contender in one page and one run, alternating
// (the order rotates from round to round), 7+ rounds, medians, and ratios against the native
// floor. Besides wall time it reads the CPU time the browser spent on each call (all its
// processes, and the page's main thread, where the SDK's own work runs), which does not count
// waiting for a core and so stays comparable when the machine's cores are shared.

import { median, quantile } from './stats.mjs';
import { fixed, table } from './markdown.mjs';

const NATIVE_ALL = 'fetch + Promise.all';
const NATIVE_SETTLED = 'fetch + Promise.allSettled';
const KY = 'ky (retry: 0)';
const PARALLEL = 'parallelFetch';
const SETTLED = 'settledFetch';
// A second build of the SDK, with --compare.
const PARALLEL_B = 'parallelFetch (B)';
const SETTLED_B = 'settledFetch (B)';
/** Largest SDK/native ratio allowed at the target sizes. */
export const TARGET_RATIO = 1.05;
const TARGET_SIZES = [100, 1000];
/** Chromium's HTTP/1.1 limit of connections per origin. */
const CONNECTIONS = 6;

export const FULL = { instant: [1, 10, 100, 1000], delayed: [2, 20], delayMs: 200, runs: 11, warmup: 1 };
export const SMOKE = { instant: [1, 3], delayed: [2], delayMs: 20, runs: 1, warmup: 0 };

/** Rounds of every contender on `n` requests: { wall, cpu, main }, each {name: [ms per round]}. */
async function measure({ page, probes }, names, n, delay, plan) {
  const samples = () => Object.fromEntries(names.map((name) => [name, []]));
  const [wall, cpu, main] = [samples(), samples(), samples()];
  for (let round = 0; round < plan.warmup + plan.runs; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const before = probes.cpu();
      const ms = await page.evaluate((o) => window.bench.timeOnce(o), { name, n, delay });
      const after = probes.cpu();
      if (round >= plan.warmup) {
        wall[name].push(ms);
        cpu[name].push(after.all - before.all);
        main[name].push(after.main - before.main);
      }
      // Let the connections go idle and pending tasks drain between contenders.
      await page.waitForTimeout(20);
    }
  }
  return { wall, cpu, main };
}

/** a/b within each round (both ran under the same load). */
const pairedRatios = (samples, a, b) => samples[a].map((x, i) => x / samples[b][i]);
const pairedRatio = (samples, a, b) => median(pairedRatios(samples, a, b));

const times = (r) => `${fixed(r, 3)}×`;
/** The median ratio with its interquartile range over the rounds. */
function ratioCell(samples, a, b) {
  const r = pairedRatios(samples, a, b);
  return `${times(median(r))} (${fixed(quantile(r, 0.25), 2)}–${fixed(quantile(r, 0.75), 2)})`;
}

/** Runs the plan; resolves with { markdown, misses }. */
export async function overheadSection(session, plan) {
  const names = await session.page.evaluate(() => window.bench.contenderNames());
  const instant = [];
  for (const n of plan.instant) instant.push({ n, ...(await measure(session, names, n, 0, plan)) });
  const delayed = [];
  for (const n of plan.delayed) delayed.push({ n, ...(await measure(session, names, n, plan.delayMs, plan)) });

  const misses = [];
  const hasB = names.includes(PARALLEL_B);
  const bHeader = hasB ? ['parallelFetch (B) ÷ parallelFetch', 'settledFetch (B) ÷ settledFetch'] : [];
  const wallRows = instant.map(({ n, wall }) => {
    const p = pairedRatio(wall, PARALLEL, NATIVE_ALL);
    const s = pairedRatio(wall, SETTLED, NATIVE_SETTLED);
    if (TARGET_SIZES.includes(n)) {
      if (!(p <= TARGET_RATIO)) misses.push(`parallelFetch at N = ${n}: ${times(p)}`);
      if (!(s <= TARGET_RATIO)) misses.push(`settledFetch at N = ${n}: ${times(s)}`);
    }
    return [
      n,
      ...names.map((name) => fixed(median(wall[name]), 1)),
      ratioCell(wall, PARALLEL, NATIVE_ALL),
      ratioCell(wall, SETTLED, NATIVE_SETTLED),
      ratioCell(wall, KY, NATIVE_ALL),
      ...(hasB ? [ratioCell(wall, PARALLEL_B, PARALLEL), ratioCell(wall, SETTLED_B, SETTLED)] : []),
    ];
  });
  const cpuRows = instant.map(({ n, cpu, main }) => {
    const extra = (name, native) => fixed(((median(main[name]) - median(main[native])) * 1000) / n, 0);
    return [
      n,
      ...names.map((name) => `${fixed(median(cpu[name]), 1)} (${fixed(median(main[name]), 1)})`),
      ratioCell(cpu, PARALLEL, NATIVE_ALL),
      ratioCell(cpu, SETTLED, NATIVE_SETTLED),
      extra(PARALLEL, NATIVE_ALL),
      extra(SETTLED, NATIVE_SETTLED),
      extra(KY, NATIVE_ALL),
      ...(hasB ? [ratioCell(cpu, PARALLEL_B, PARALLEL), ratioCell(cpu, SETTLED_B, SETTLED)] : []),
    ];
  });
  const delayedRows = delayed.map(({ n, wall }) => [
    n,
    Math.ceil(n / CONNECTIONS) * plan.delayMs,
    n * plan.delayMs,
    ...names.map((name) => fixed(median(wall[name]), 1)),
    ratioCell(wall, PARALLEL, NATIVE_ALL),
    ratioCell(wall, SETTLED, NATIVE_SETTLED),
  ]);

  const markdown = [
    `${plan.runs} rounds (after ${plan.warmup} warm-up round${plan.warmup === 1 ? '' : 's'}); in each ` +
      'round every contender makes one call, in an order rotated from round to round, all in one ' +
      'page on the same origin as the server. Times are medians over the rounds, in ms; a ratio is ' +
      'the median over rounds of the ratio within each round (both sides ran under the same load), ' +
      'with its interquartile range.',
    '',
    '**Instant endpoint** (`/r`, a 66-byte JSON body): wall time from the call to the last parsed body.',
    '',
    table(['N', ...names, 'parallelFetch ÷ Promise.all', 'settledFetch ÷ allSettled', 'ky ÷ Promise.all', ...bHeader], wallRows),
    '',
    '**CPU time** of the same calls: all of the browser\'s processes (in brackets, the page\'s main ' +
      'thread), medians in ms; the ratios of the total; and what each library adds on the main ' +
      'thread per request over its native counterpart, in µs:',
    '',
    table(
      ['N', ...names, 'parallelFetch ÷ Promise.all', 'settledFetch ÷ allSettled', 'parallelFetch µs/request', 'settledFetch µs/request', 'ky µs/request', ...bHeader],
      cpuRows,
    ),
    '',
    `**${plan.delayMs} ms endpoint** (\`/r?delay=${plan.delayMs}\`): wall time against the browser's limit of ` +
      `${CONNECTIONS} connections per origin on HTTP/1.1, ⌈N/${CONNECTIONS}⌉ × ${plan.delayMs} ms, and the sequential sum:`,
    '',
    table(
      ['N', `limit ⌈N/${CONNECTIONS}⌉×${plan.delayMs}`, `sequential N×${plan.delayMs}`, ...names, 'parallelFetch ÷ Promise.all', 'settledFetch ÷ allSettled'],
      delayedRows,
    ),
  ].join('\n');
  return { markdown, misses };
}
