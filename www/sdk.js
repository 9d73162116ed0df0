// The SDK as the page uses it: wasm-pack's web build, initialised once for every module.
import init, { createClient, parallelFetch, settledFetch } from '/pkg/parallel_fetch.js';

await init();

export { createClient, parallelFetch, settledFetch };
