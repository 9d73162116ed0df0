// Start-up: how long a page waits from importing the SDK's browser entry (the web-target build
// at /pkg: the module import, then init(), which fetches, compiles and instantiates the .wasm)
// until its first call can be made, and that first call, against ky's import and first call and
// native fetch's first call, all in the same page. Every load is a fresh page in a fresh browser
// context (an empty HTTP cache, so nothing is compiled from cache: cold-ish, but over loopback),
// the order of the three rotating from load to load; medians over the loads.

import { fixed, table } from './markdown.mjs';
import { quantile } from './stats.mjs';

export const FULL = { loads: 15 };
export const SMOKE = { loads: 2 };

const LABELS = {
  parallelFetch: 'parallel-fetch (web build: import + init)',
  ky: 'ky',
  fetch: 'native fetch (nothing to import)',
};

/** One fresh page: { name: { import, init, ready, firstCall, total, files } }. */
async function load(browser, origin, order) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  try {
    await page.goto(`${origin}/startup.html`);
    await page.waitForFunction(() => window.startupReady === true, null, { timeout: 30_000 })
      .catch((error) => {
        throw errors.length ? errors[0] : error;
      });
    return await page.evaluate((o) => window.measureStartup(o), order);
  } finally {
    await page.context().close();
  }
}

/** Median (p25–p75) of the finite values, or – when there are none. */
function cell(values) {
  if (values.some((v) => v === null)) return '–';
  if (values.length < 3) return fixed(quantile(values, 0.5), 1);
  return `${fixed(quantile(values, 0.5), 1)} (${fixed(quantile(values, 0.25), 1)}–${fixed(quantile(values, 0.75), 1)})`;
}

/** Runs the start-up benchmark in `session.browser`; resolves with { markdown, rows }. */
export async function startupSection({ browser }, { loads }, { smoke = false } = {}) {
  const origin = process.env.PF_TEST_SERVER;
  const names = Object.keys(LABELS);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < loads; i++) {
    const order = names.map((_, k) => names[(i + k) % names.length]);
    const result = await load(browser, origin, order);
    for (const name of names) samples[name].push(result[name]);
  }
  const column = (name, key) => samples[name].map((s) => s[key]);
  const med = (name, key) => quantile(column(name, key), 0.5);
  if (smoke) {
    for (const name of names) {
      for (const s of samples[name]) {
        if (!Object.values(s).every((v) => v === null || Number.isFinite(v))) {
          throw new Error(`startup smoke: ${name}: ${JSON.stringify(s)}`);
        }
      }
    }
  }
  const rows = names.map((name) => [
    LABELS[name],
    String(Math.max(...column(name, 'files'))),
    cell(column(name, 'import')),
    cell(column(name, 'init')),
    cell(column(name, 'ready')),
    cell(column(name, 'firstCall')),
    cell(column(name, 'total')),
  ]);
  const ratio = (a, b) => `${fixed(a / b, 2)}×`;
  const sdkReady = med('parallelFetch', 'ready');
  const kyReady = med('ky', 'ready');
  const markdown = [
    `${loads} page loads, each a fresh page in a fresh browser context (empty HTTP cache) on the ` +
      'test server over HTTP/1.1 on loopback; in each, parallel-fetch, ky and native fetch start ' +
      'one after another in an order rotated from load to load. parallel-fetch is the web-target ' +
      "build at `/pkg`: `import('/pkg/parallel_fetch.js')`, then its `init()` (fetch, compile and " +
      "instantiate the `.wasm`), which the package's browser entry does with top-level await; ky is " +
      "`import('/vendor/ky/index.js')`, its npm distribution as published (unbundled ES modules, as a " +
      'page without a bundler loads it). Ready = import + init, when the first call can be made; ' +
      'first call = one request to `/r` through it, to the parsed body. Medians in ms (interquartile ' +
      'range in brackets); files = requests made for the import.',
    '',
    table(['', 'files', 'import', 'wasm init', 'ready', 'first call', 'import to first result'], rows),
    '',
    `parallel-fetch is ready after ${fixed(sdkReady, 1)} ms against ky's ${fixed(kyReady, 1)} ms ` +
      `(${ratio(sdkReady, kyReady)}); its first call takes ${fixed(med('parallelFetch', 'firstCall'), 1)} ms ` +
      `against ky's ${fixed(med('ky', 'firstCall'), 1)} ms and native fetch's ${fixed(med('fetch', 'firstCall'), 1)} ms.` +
      (smoke ? ' (smoke run: too few loads for the figures to mean anything)' : ''),
  ].join('\n');
  return { markdown, rows };
}
