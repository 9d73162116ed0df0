// Memory over a long mixed workload: warm up, measure after a forced GC, run `requests` more
// requests through both functions, measure again. Flat means the growth is noise-sized and
// nothing countable (listeners, timers, controllers, closures) is left over.

import { fixed, table } from './markdown.mjs';
import { METRICS, runWorkload, snapshot, describeOutcomes } from './snapshot.mjs';
import { LIMITS, REQUESTS } from './leaks.mjs';

/** The metrics that grew more than the leak test allows (its heap bound scaled up to this run). */
function notFlat(before, after, requests) {
  return Object.entries(LIMITS)
    .filter(([key, limit]) => {
      // Byte noise does not shrink with a shorter run, so the bound only scales up.
      const scaled = key === 'jsHeap' ? (limit * Math.max(requests, REQUESTS)) / REQUESTS : limit;
      const value = key === 'sharedSignalListeners' || key === 'pendingTimers' ? after[key] : after[key] - before[key];
      return value > scaled;
    })
    .map(([key]) => METRICS[key][0]);
}

export async function memorySection(session, { warmup, requests }) {
  await session.page.evaluate(() => window.bench.newSharedSignal());
  await runWorkload(session, { requests: warmup });
  const before = await snapshot(session);
  const started = performance.now();
  const run = await runWorkload(session, { requests });
  const seconds = (performance.now() - started) / 1000;
  const after = await snapshot(session);

  const rows = Object.entries(METRICS).map(([key, [label, unit]]) => {
    const growth = after[key] - before[key];
    return [`${label} (${unit})`, before[key], after[key], growth, fixed((growth * 1000) / run.requests, 2)];
  });
  const grew = notFlat(before, after, run.requests);
  const verdict = grew.length
    ? `**Not flat:** ${grew.join(', ')} grew beyond the leak test's bounds.`
    : '**Flat:** nothing grew beyond the leak test\'s bounds (its JS heap bound scaled up to this run).';
  return [
    `${warmup} warm-up requests, then ${run.requests} requests in ${run.calls} calls ` +
      `(parallelFetch and settledFetch alternately, 3 calls at a time) in ${fixed(seconds)} s. ` +
      `Outcomes: ${describeOutcomes(run.outcomes)}.`,
    '',
    table(['after a forced GC', 'after warm-up', `after ${run.requests} more requests`, 'growth', 'growth per 1000 requests'], rows),
    '',
    verdict,
  ].join('\n');
}
