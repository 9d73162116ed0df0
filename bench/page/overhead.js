// One timed call of one contender: bench/lib/overhead.mjs drives the rounds from outside, so it
// can read the page's main-thread metrics around each call.

// A timing only counts if every request succeeded.
function check(name, results, n) {
  const failed = results.filter((r) => r?.status === 'rejected');
  if (results.length !== n || failed.length) {
    throw new Error(`${name}: ${results.length} results for ${n} requests, ${failed.length} failed`);
  }
}

const urlLists = new Map();

/** `n` distinct URLs of `/r?delay=DELAY`, built once so that no contender pays for them. */
function urlsFor(n, delay) {
  const key = `${n}/${delay}`;
  if (!urlLists.has(key)) {
    const query = delay ? `&delay=${delay}` : '';
    urlLists.set(key, Array.from({ length: n }, (_, i) => `/r?i=${i}${query}`));
  }
  return urlLists.get(key);
}

/** Calls contender `name` once on `n` requests; resolves with the elapsed ms. */
export async function timeOnce(contenders, { name, n, delay }) {
  const urls = urlsFor(n, delay);
  const started = performance.now();
  const results = await contenders[name](urls);
  const elapsed = performance.now() - started;
  check(name, results, n);
  return elapsed;
}
