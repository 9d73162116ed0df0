// The benchmark page: loads the SDK and ky, and exposes what bench/run.mjs drives as
// `window.bench`. The SDK comes from /pkg (a web-target build), ky from /vendor/ky (npm).
import init, { createClient, parallelFetch, settledFetch } from '/pkg/parallel_fetch.js';
import ky from '/vendor/ky/index.js';
import { contenders } from './contenders.js';
import { timeOnce } from './overhead.js';
import { runWorkload } from './workload.js';
import { runBreaker, runHedging } from './resilience.js';

const wasm = await init();
const sdk = { parallelFetch, settledFetch };
const all = contenders({ ...sdk, ky });

// ?compare=/PATH loads a second build of the SDK from PATH as two more contenders, "(B)", to
// measure a change to src/ against the build at /pkg in the same run (bench/run.mjs --compare).
const compare = new URLSearchParams(location.search).get('compare');
if (compare) {
  const b = await import(`${compare}/parallel_fetch.js`);
  await b.default();
  all['parallelFetch (B)'] = (urls) => b.parallelFetch(urls, { retry: false });
  all['settledFetch (B)'] = (urls) => b.settledFetch(urls, { retry: false });
}

// Calls that never end until their shared signal aborts (for the listener count check).
let hanging = null;

window.bench = {
  contenderNames: () => Object.keys(all),

  timeOnce: (options) => timeOnce(all, options),

  runWorkload: (options) => runWorkload(sdk, { ...options, sharedSignal: window.sharedSignal }),

  /** Hedged against unhedged requests on a long-tailed endpoint (bench/lib/hedging.mjs). */
  runHedging: (options) => runHedging(createClient, options),

  /** A steady stream at a failing origin, with and without a breaker (bench/lib/breaker.mjs). */
  runBreaker: (options) => runBreaker(createClient, options),

  /** A fresh long-lived signal that the workload's calls share, as `window.sharedSignal`. */
  newSharedSignal() {
    window.sharedController = new AbortController();
    window.sharedSignal = window.sharedController.signal;
  },

  /** Starts `n` single-request calls to a URL that never answers, all on `window.sharedSignal`. */
  async startHangingCalls(n) {
    const signal = window.sharedSignal;
    hanging = Array.from({ length: n }, (_, i) =>
      (i % 2 ? parallelFetch : settledFetch)([`/r?h=${i}&hang=1`], { signal }).then(
        (results) => results[0].reason?.name ?? 'fulfilled',
        (error) => error.name,
      ),
    );
    // Each call registers its listener in a microtask after the call; a task later, all have.
    await new Promise((resolve) => setTimeout(resolve, 0));
  },

  /** Aborts the shared signal and waits for the hanging calls: how each ended. */
  async abortHangingCalls() {
    window.sharedController.abort();
    const names = await Promise.all(hanging);
    hanging = null;
    return names.reduce((counts, name) => ({ ...counts, [name]: (counts[name] ?? 0) + 1 }), {});
  },

  /**
   * Linear memory and the externref table only grow, so their sizes are high-water marks. The
   * table's slots in use (freed slots are nulled) count exactly the JS values Rust holds.
   */
  wasmMemory() {
    const table = wasm.__wbindgen_externrefs;
    let inUse = 0;
    for (let i = 0; i < table.length; i++) if (table.get(i) != null) inUse++;
    return { memoryBytes: wasm.memory.buffer.byteLength, externrefs: table.length, externrefsInUse: inUse };
  },

  pendingTimers: () => globalThis.pendingTimers(),
};
window.benchReady = true;
