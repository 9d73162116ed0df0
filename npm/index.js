// Entry for browsers and bundlers (Vite, webpack 5, Rollup, esbuild) and for plain
// <script type="module"> pages: the module is ready to call once its import has resolved.
//
// `new URL('…', import.meta.url)` is the pattern bundlers recognise: they emit the .wasm as
// an asset and rewrite the URL; without a bundler the browser fetches it next to this file.
// Top-level await keeps the API the same everywhere, with no init() for callers to forget.
import init, { Client, createClient, fetchOne, parallelFetch, settledFetch } from './wasm/parallel_fetch.js';

await init({ module_or_path: new URL('./wasm/parallel_fetch_bg.wasm', import.meta.url) });

export { Client, createClient, fetchOne, parallelFetch, settledFetch };
