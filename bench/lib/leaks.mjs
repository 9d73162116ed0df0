// The leak test (part of `make test` through bench-smoke): nothing may be left behind per call or
// per request once calls settle: no 'abort' listener on the caller's signal, no pending timer,
// no AbortController, no closure. Each bound sits well below what a leak of one object per
// request (or per call) would add over the run, and well above the noise of a clean run.

import { table } from './markdown.mjs';
import { METRICS, runWorkload, snapshot, describeOutcomes } from './snapshot.mjs';

const HANGING_CALLS = 500;
const WARMUP_REQUESTS = 600;
export const REQUESTS = 3000;
const PER_CALL = 6; // so the workload makes REQUESTS / PER_CALL = 500 calls

// Largest growth allowed over REQUESTS requests (500 calls), after warm-up and a full GC.
export const LIMITS = {
  sharedSignalListeners: 0,
  pendingTimers: 0,
  abortControllers: 10,
  abortSignals: 10,
  functions: 100,
  promises: 100,
  externrefsInUse: 20,
  externrefs: 256,
  jsHeap: 64 * 1024,
  wasmMemory: 64 * 1024,
};

/** Runs the checks; resolves with { ok, markdown }. */
export async function leakTest(session) {
  const { page, probes } = session;
  const checks = [];
  const check = (what, value, pass, limit) => checks.push({ what, value, pass, limit });

  // 1. One signal shared by HANGING_CALLS calls that cannot finish: one listener each while
  //    they run (which also shows the probe sees them), none once the signal aborts them.
  await page.evaluate(() => window.bench.newSharedSignal());
  await page.evaluate((n) => window.bench.startHangingCalls(n), HANGING_CALLS);
  const during = await probes.abortListeners('window.sharedSignal');
  check(`'abort' listeners while ${HANGING_CALLS} calls share one signal`, during, during > 0, '> 0');
  const ended = await page.evaluate(() => window.bench.abortHangingCalls());
  const aborted = ended.AbortError ?? 0;
  check('calls that ended with AbortError when it aborted', aborted, aborted === HANGING_CALLS, `= ${HANGING_CALLS}`);
  const after = await probes.abortListeners('window.sharedSignal');
  check("'abort' listeners left once they settled", after, after === 0, '= 0');

  // 2. The mixed workload on a fresh shared signal: nothing may grow with the number of calls.
  await page.evaluate(() => window.bench.newSharedSignal());
  await runWorkload(session, { requests: WARMUP_REQUESTS, perCall: PER_CALL });
  const before = await snapshot(session);
  const run = await runWorkload(session, { requests: REQUESTS, perCall: PER_CALL });
  const end = await snapshot(session);
  for (const [key, limit] of Object.entries(LIMITS)) {
    const [label, unit] = METRICS[key];
    // Listeners and timers must be gone outright; the rest may only grow by noise.
    const absolute = key === 'sharedSignalListeners' || key === 'pendingTimers';
    const value = absolute ? end[key] : end[key] - before[key];
    const what = absolute ? `${label} after the calls settled` : `growth of ${label}`;
    check(`${what} (${unit})`, value, value <= limit, absolute ? `= ${limit}` : `≤ ${limit}`);
  }

  const ok = checks.every((c) => c.pass);
  const markdown = [
    `Calls share one long-lived signal; ${run.calls} workload calls (${run.requests} requests) ` +
      `after ${WARMUP_REQUESTS} warm-up requests. Outcomes: ${describeOutcomes(run.outcomes)}.`,
    '',
    table(
      ['check', 'measured', 'limit', 'result'],
      checks.map((c) => [c.what, String(c.value), c.limit, c.pass ? 'PASS' : '**FAIL**']),
      'lrrl',
    ),
  ].join('\n');
  return { ok, markdown };
}
