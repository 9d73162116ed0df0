// Where the main thread's time goes during calls: DevTools' sampling CPU profiler around a few
// calls of a contender, self time grouped by function, per request. Glue functions (the JS that
// wasm-bindgen generates) are named after the import they implement, so a crossing shows up as
// what it does (`fetch`, `abort`, `setTimeout`, …); the SDK's compiled Rust is one row.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixed, table } from './markdown.mjs';

/** Line number (0-based) → the wasm-bindgen import defined there, for the glue file. */
function glueImports(pkgDir) {
  const names = [];
  let current = null;
  readFileSync(join(pkgDir, 'parallel_fetch.js'), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = line.match(/^\s+(__wbg_\w+?)(_[0-9a-f]{16})?: function/);
      if (m) current = m[1].replace(/^__wbg_/, '');
      else if (/^(function|const|let|export|class) /.test(line)) current = line.match(/^\w+ (\w+)/)?.[1] ?? null;
      names[i] = current;
    });
  return names;
}

function label(frame, glue) {
  const { functionName, url, lineNumber } = frame;
  if (functionName === '(idle)') return null;
  if (url.endsWith('.wasm') || functionName.startsWith('wasm-function') || /^\$/.test(functionName)) {
    // PF_PROFILE_WASM=1 names each wasm function (of a build that keeps its name section).
    return process.env.PF_PROFILE_WASM ? `wasm: ${functionName}` : "the SDK's Rust (wasm)";
  }
  if (url.endsWith('parallel_fetch.js')) return `glue: ${glue[lineNumber] ?? functionName ?? '?'}`;
  if (url.includes('/vendor/ky/')) return 'ky';
  if (url.includes('index.html') || url.endsWith('.js')) return `bench page: ${functionName || '(anonymous)'}`;
  return functionName || '(anonymous)';
}

async function profile({ page, cdp }, glue, name, n, calls) {
  await page.evaluate((o) => window.bench.timeOnce(o), { name, n, delay: 0 }); // warm
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  for (let i = 0; i < calls; i++) await page.evaluate((o) => window.bench.timeOnce(o), { name, n, delay: 0 });
  const { profile: p } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  const nodes = new Map(p.nodes.map((node) => [node.id, node]));
  const self = new Map();
  p.samples.forEach((id, i) => {
    const key = label(nodes.get(id).callFrame, glue);
    if (key) self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  // µs of self time per request.
  const perRequest = new Map([...self].map(([key, us]) => [key, us / (n * calls)]));
  const total = [...perRequest.values()].reduce((a, b) => a + b, 0);
  return { perRequest, total };
}

export async function profileSection(session, pkgDir, { n = 1000, calls = 3, top = 15 } = {}) {
  const glue = glueImports(pkgDir);
  const native = await profile(session, glue, 'fetch + Promise.all', n, calls);
  const sdk = await profile(session, glue, 'parallelFetch', n, calls);
  const rows = [...sdk.perRequest]
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(([key, us]) => [key, fixed(us, 1), fixed(native.perRequest.get(key) ?? 0, 1)]);
  return [
    `Sampled every 0.1 ms over ${calls} calls of N = ${n} after one warm-up call: the main thread's ` +
      `self time per request, in µs. In total ${fixed(sdk.total, 0)} µs per request for parallelFetch ` +
      `and ${fixed(native.total, 0)} µs for fetch + Promise.all (idle time excluded). The ${top} largest:`,
    '',
    table(['function (self time)', 'parallelFetch µs/request', 'fetch + Promise.all µs/request'], rows),
  ].join('\n');
}
