// The package as a page without a bundler sees it: the web build, initialised once.
import init, { parallelFetch, settledFetch } from '/pkg/parallel_fetch.js';

await init();

export { parallelFetch, settledFetch };
