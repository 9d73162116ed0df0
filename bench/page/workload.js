// A mixed workload for the memory and leak checks: calls through both functions, each with a
// spread of outcomes (success, HTTP error, network error, per-attempt timeout, a retry, a parse
// error, a slow response), some aborted by the caller's signal, some debounced, some observed
// through onEvent. It tallies how every request ended, so a report can show the mix it exercised.

// Request i of call c is of kind KINDS[(5c + i) % 12]: the start rotates from call to call (5 and
// 12 are coprime), so small calls still meet every kind through both functions.
const KINDS = [
  (i) => `/r?w=${i}`,
  (i) => `/r?w=${i}`,
  (i) => `/r?w=${i}&status=500`,
  (i) => `/r?w=${i}`,
  (i) => ({ url: `/r?w=${i}&hang=1`, timeout: 20 }),
  (i) => `/r?w=${i}`,
  (i) => `/r?w=${i}&drop=1`,
  (i) => `/r?w=${i}`,
  (i) => ({ url: `/r?w=${i}&status=503`, retry: { limit: 1, baseDelay: 1, maxDelay: 2 } }),
  (i) => `/r?w=${i}&invalid_json=1`,
  (i) => `/r?w=${i}&delay=30`,
  (i) => `/r?w=${i}`,
];

const noop = () => {};

function callOptions(call, sharedSignal) {
  const options = { retry: false, timeout: 5000 };
  if (call % 4 === 3) {
    // Aborted by the caller while requests are in flight.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    options.signal = controller.signal;
  } else if (sharedSignal) {
    // One long-lived signal for many calls: a listener left behind per call piles up on it.
    options.signal = sharedSignal;
  }
  if (call % 3 === 0) options.onEvent = noop;
  if (call % 10 === 5) options.debounce = { key: `workload-${call % 20}`, wait: 1 };
  return options;
}

function tally(counts, outcome) {
  counts[outcome] = (counts[outcome] ?? 0) + 1;
}

/**
 * Sends at least `requests` requests, `perCall` per call, `concurrent` calls at a time,
 * alternating parallelFetch and settledFetch. Resolves with { calls, requests, outcomes }.
 */
export async function runWorkload(sdk, { requests, perCall = 12, concurrent = 3, sharedSignal }) {
  let calls = 0;
  let sent = 0;
  const outcomes = {};
  async function lane() {
    while (sent < requests) {
      const call = calls++;
      const specs = Array.from({ length: perCall }, (_, i) => KINDS[(call * 5 + i) % KINDS.length](sent + i));
      sent += perCall;
      const fn = call % 2 === 0 ? sdk.parallelFetch : sdk.settledFetch;
      try {
        const results = await fn(specs, callOptions(call, sharedSignal));
        for (const r of results) {
          if (r.status === 'rejected') tally(outcomes, r.reason.name);
          else tally(outcomes, 'fulfilled');
        }
      } catch (error) {
        // parallelFetch: the first failure; the siblings it aborted are not reported.
        tally(outcomes, `${error.name} (call rejected)`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrent }, lane));
  return { calls, requests: sent, outcomes };
}
