// The resilience benchmarks' page side (bench/lib/hedging.mjs and bench/lib/breaker.mjs drive
// them): hedged requests against a long-tailed endpoint, and a circuit breaker in front of an
// origin that fails. Each runs in this one page on clients of its own, and gives back what it
// timed; the drivers read the server's records (/stats) themselves.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `n` requests through each of `modes` ({ name, key, hedge, retryBudget? }) at once: `lanes`
 * requests in flight per mode, each lane awaiting one fetchOne after another, every mode on a
 * client of its own (so none shares another's retry budget; `retryBudget`, when given, is that
 * client's), all against `origin` at the same time, so
 * that every mode meets the same server and the same moment. A request's latency is the time
 * around its fetchOne. Resolves with, per mode, the latencies (ms, in order of completion),
 * failures, and the client's counters and events for the origin.
 */
export async function runHedging(createClient, { origin, query, n, lanes, modes }) {
  const runs = modes.map((mode) => {
    const events = { hedgeStart: 0, budgetExhausted: 0, attemptStart: 0 };
    const client = createClient({
      baseUrl: origin,
      perOrigin: { concurrency: lanes },
      dedupe: false,
      timeout: 10_000,
      ...(mode.retryBudget ? { retryBudget: mode.retryBudget } : {}),
      onEvent: (e) => {
        if (e.type in events) events[e.type]++;
      },
    });
    return { mode, client, events, latencies: [], attempts: [], failures: [] };
  });
  async function lane(run, from) {
    const { mode, client } = run;
    for (let i = from; i < n; i += lanes) {
      const options = mode.hedge ? { hedge: mode.hedge } : {};
      const started = performance.now();
      try {
        const result = await client.fetchOne(`/r?key=${mode.key}&i=${i}&${query}`, options);
        run.latencies.push(performance.now() - started);
        run.attempts.push(result.attempts);
      } catch (error) {
        run.failures.push(`${error.name}: ${error.message}`);
      }
    }
  }
  const started = performance.now();
  await Promise.all(runs.flatMap((run) => Array.from({ length: lanes }, (_, l) => lane(run, l))));
  const elapsed = performance.now() - started;
  return runs.map(({ mode, client, events, latencies, attempts, failures }) => ({
    name: mode.name,
    key: mode.key,
    latencies,
    attempts,
    failures: failures.slice(0, 5),
    failed: failures.length,
    stats: client.stats()[new URL(origin).origin] ?? null,
    events,
    elapsed,
  }));
}

/**
 * A steady stream against a failing origin: for each of `modes` ({ name, key, client: options
 * for createClient }), one request every 1000 / `rate` ms for `seconds` s, all modes at once,
 * each on its own client, fire and forget (a request does not wait for the one before). Resolves
 * once every request has settled with, per mode, when each request started and how it ended
 * (ms from the stream's start), when each attempt failed, and the breaker's transitions.
 */
export async function runBreaker(createClient, { origin, query, rate, seconds, modes }) {
  const count = Math.round(rate * seconds);
  const interval = 1000 / rate;
  let t0 = 0;
  const runs = modes.map((mode) => {
    const transitions = [];
    const failedAttempts = [];
    const client = createClient({
      ...mode.client,
      baseUrl: origin,
      dedupe: false,
      onEvent: (e) => {
        if (e.type.startsWith('breaker')) transitions.push({ type: e.type, at: e.time - t0 });
        else if (e.type === 'attemptEnd' && !e.ok) failedAttempts.push(e.time - t0);
      },
    });
    return { mode, client, transitions, failedAttempts, requests: [], pending: [] };
  });
  t0 = performance.now();
  for (let i = 0; i < count; i++) {
    // Against the stream's own clock, so a late timer does not slow the rate down.
    const wait = t0 + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    for (const run of runs) {
      const at = performance.now() - t0;
      const request = { at, end: null, outcome: null, attempts: null };
      run.requests.push(request);
      run.pending.push(
        run.client.fetchOne(`/r?key=${run.mode.key}&i=${i}&${query}`).then(
          (result) => {
            request.outcome = `fulfilled ${result.status}`;
            request.attempts = result.attempts;
          },
          (error) => {
            request.outcome = error.name === 'HttpError' ? `HttpError ${error.status}` : error.name;
            request.attempts = error.attempts;
          },
        ).finally(() => {
          request.end = performance.now() - t0;
        }),
      );
    }
  }
  const issued = performance.now() - t0;
  await Promise.all(runs.flatMap((run) => run.pending));
  return runs.map(({ mode, client, transitions, failedAttempts, requests }) => ({
    name: mode.name,
    key: mode.key,
    requests,
    transitions,
    failedAttempts,
    stats: client.stats()[new URL(origin).origin] ?? null,
    issuedMs: issued,
  }));
}
