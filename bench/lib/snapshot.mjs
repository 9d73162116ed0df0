// What the memory and leak checks look at, measured after a forced full GC.

/** Metric key → [label, unit]. */
export const METRICS = {
  jsHeap: ['JS heap used (after GC)', 'bytes'],
  wasmMemory: ['wasm linear memory (high-water mark)', 'bytes'],
  externrefs: ["wasm-bindgen's externref table (high-water mark)", 'slots'],
  externrefsInUse: ['JS values held by Rust (externref slots in use)', 'slots'],
  functions: ['live JS functions', 'objects'],
  promises: ['live Promises', 'objects'],
  abortControllers: ['live AbortControllers', 'objects'],
  abortSignals: ['live AbortSignals', 'objects'],
  sharedSignalListeners: ["'abort' listeners on the shared signal", 'listeners'],
  pendingTimers: ['pending timers', 'timers'],
};

export async function snapshot({ page, probes }) {
  await probes.collectGarbage();
  const jsHeap = await probes.jsHeapUsed();
  const wasm = await page.evaluate(() => window.bench.wasmMemory());
  return {
    jsHeap,
    wasmMemory: wasm.memoryBytes,
    externrefs: wasm.externrefs,
    externrefsInUse: wasm.externrefsInUse,
    functions: await probes.liveObjects('Function.prototype'),
    promises: await probes.liveObjects('Promise.prototype'),
    abortControllers: await probes.liveObjects('AbortController.prototype'),
    abortSignals: await probes.liveObjects('AbortSignal.prototype'),
    sharedSignalListeners: await probes.abortListeners('window.sharedSignal'),
    pendingTimers: await page.evaluate(() => window.bench.pendingTimers()),
  };
}

/** Runs the page's mixed workload on the page's shared signal. */
export function runWorkload({ page }, options) {
  return page.evaluate((o) => window.bench.runWorkload(o), options);
}

export function describeOutcomes(outcomes) {
  return Object.entries(outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}
