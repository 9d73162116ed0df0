// Entry for Node 18+ (the "node" export condition). Node's fetch cannot read file: URLs, so
// the .wasm is read from disk and compiled synchronously; with no top-level await, Node
// versions that can require() ES modules can require this one too.
import { readFileSync } from 'node:fs';
import { Client, createClient, fetchOne, initSync, parallelFetch, settledFetch } from './wasm/parallel_fetch.js';

initSync({ module: readFileSync(new URL('./wasm/parallel_fetch_bg.wasm', import.meta.url)) });

export { Client, createClient, fetchOne, parallelFetch, settledFetch };
