// The start-up benchmark's page side (bench/lib/startup.mjs drives it): in a page that has
// loaded nothing else, import each library as a page would, the SDK's web-target build from /pkg
// (the import, then its init(), which fetches, compiles and instantiates the .wasm) and ky from
// /vendor/ky, then make one call with it. Nothing here imports either statically, so each is
// fetched, parsed and compiled in this page for the first time.

const URL_OF = { sdk: '/r?startup=sdk', ky: '/r?startup=ky', fetch: '/r?startup=fetch' };

/** The files under `prefix` this page fetched so far (resource timing). */
const filesUnder = (prefix) =>
  performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.startsWith(prefix)).length;

const STARTERS = {
  async parallelFetch() {
    const t0 = performance.now();
    const sdk = await import('/pkg/parallel_fetch.js');
    const t1 = performance.now();
    await sdk.default();
    const t2 = performance.now();
    const [result] = await sdk.parallelFetch([URL_OF.sdk], { retry: false });
    const t3 = performance.now();
    if (result?.status !== 200) throw new Error(`parallelFetch's first call: ${JSON.stringify(result)}`);
    return { import: t1 - t0, init: t2 - t1, ready: t2 - t0, firstCall: t3 - t2, total: t3 - t0, files: filesUnder('/pkg/') };
  },
  async ky() {
    const t0 = performance.now();
    const { default: ky } = await import('/vendor/ky/index.js');
    const t1 = performance.now();
    const body = await ky(URL_OF.ky, { retry: 0 }).json();
    const t2 = performance.now();
    if (typeof body !== 'object' || body === null) throw new Error(`ky's first call: ${JSON.stringify(body)}`);
    return { import: t1 - t0, init: null, ready: t1 - t0, firstCall: t2 - t1, total: t2 - t0, files: filesUnder('/vendor/ky/') };
  },
  async fetch() {
    const t0 = performance.now();
    const response = await fetch(URL_OF.fetch);
    await response.json();
    const t1 = performance.now();
    if (!response.ok) throw new Error(`fetch's first call: ${response.status}`);
    return { import: null, init: null, ready: 0, firstCall: t1 - t0, total: t1 - t0, files: 0 };
  },
};

window.startupNames = () => Object.keys(STARTERS);

/** Starts each named library in turn in this page: { name: timings in ms }. */
window.measureStartup = async (order) => {
  const out = {};
  for (const name of order) out[name] = await STARTERS[name]();
  return out;
};
window.startupReady = true;
